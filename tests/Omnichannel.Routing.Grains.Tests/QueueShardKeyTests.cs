using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Tests;

public sealed class QueueShardKeyTests
{
    [Fact]
    public void Shard_zero_is_the_queue_id_itself_and_other_shards_read_back_from_their_keys()
    {
        Assert.Equal("billing", new QueueShardKey("billing", 0).GrainKey);
        Assert.Equal("billing#3", new QueueShardKey("billing", 3).GrainKey);
        Assert.Equal(new QueueShardKey("billing", 3), QueueShardKey.Parse("billing#3"));
        Assert.Equal(new QueueShardKey("billing", 0), QueueShardKey.Parse("billing"));
        Assert.Equal(["billing", "billing#1", "billing#2"], QueueShardKey.AllOf("billing", 3));
    }

    [Theory]
    [InlineData("q#0")]
    [InlineData("q#64")]
    [InlineData("q#-1")]
    [InlineData("q#x")]
    [InlineData("#2")]
    public void A_key_that_is_not_a_valid_shard_reads_as_a_whole_queue_id(string key)
    {
        Assert.Equal(new QueueShardKey(key, 0), QueueShardKey.Parse(key));
    }

    [Fact]
    public void An_interaction_always_hashes_to_the_same_shard_and_the_shards_share_the_load()
    {
        var ids = Enumerable.Range(0, 4000).Select(i => $"interaction-{i}").ToList();
        var counts = ids.GroupBy(id => QueueShardKey.For("hot", id, 4).Shard).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(ids, id => Assert.Equal(QueueShardKey.For("hot", id, 4), QueueShardKey.For("hot", id, 4)));
        Assert.Equal([0, 1, 2, 3], counts.Keys.Order());
        Assert.All(counts.Values, n => Assert.InRange(n, 800, 1200));
        Assert.All(ids, id => Assert.Equal(0, QueueShardKey.For("hot", id, 1).Shard));
    }

    [Fact]
    public void The_hash_is_the_same_in_every_process()
    {
        // FNV-1a of the id's UTF-16 code units: fixed, so a restarted silo finds every interaction where it waited.
        Assert.Equal(unchecked((int)(((2166136261u ^ 'a') * 16777619u) % 64)), QueueShardKey.For("hot", "a", 64).Shard);
    }
}
