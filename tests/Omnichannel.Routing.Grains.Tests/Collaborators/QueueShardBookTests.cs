using NSubstitute;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Grains.Interactions;
using static Omnichannel.Routing.Grains.Tests.Collaborators.QueueTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class QueueShardBookTests
{
    private readonly InteractionRecord _record = new();
    private readonly Dictionary<string, IQueueGrain> _grains = new(StringComparer.Ordinal);
    private readonly QueueShardBook _book;

    public QueueShardBookTests() => _book = new QueueShardBook("i-42", () => _record, Grain);

    private IQueueGrain Grain(string key)
    {
        if (!_grains.TryGetValue(key, out var grain))
        {
            grain = Substitute.For<IQueueGrain>();
            _grains[key] = grain;
        }

        return grain;
    }

    private static string ShardKeyOf(int shards) => QueueShardKey.For("hot", "i-42", shards).GrainKey;

    [Fact]
    public void A_queue_never_heard_of_is_unsharded_and_reached_by_its_id()
    {
        Assert.Same(Grain("hot"), _book.Own("hot"));
        Assert.Equal(1, _book.CountOf("hot"));
    }

    [Fact]
    public async Task The_shard_count_a_queue_answers_with_leads_every_later_call_to_the_interactions_shard()
    {
        Grain("hot").Enqueue(Arg.Any<QueueEntry>()).Returns(new EnqueueResult(EnqueueOutcome.Queued, 0, null, null, null, Shards: 5));

        await _book.EnqueueAsync("hot", Entry("i-42"));

        Assert.Equal(5, _book.CountOf("hot"));
        Assert.Same(Grain(ShardKeyOf(5)), _book.Own("hot"));
        Assert.Same(Grain("hot"), _book.Whole("hot"));
    }

    [Fact]
    public async Task A_queue_read_before_its_first_call_is_learned_from_its_configuration_and_kept_in_the_record()
    {
        Grain("hot").GetConfig().Returns(Config() with { QueueId = "hot", Shards = 3 });

        await _book.LearnAsync("hot");
        _book.Learn("cold", 1);

        Assert.Equal(3, _record.QueueShards["hot"]);
        Assert.False(_record.QueueShards.ContainsKey("cold"));
    }
}
