using CsCheck;
using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

/// <summary>
/// A queue split into shards answers an agent exactly as the unsharded queue would: the best of the shards' bests,
/// chosen by <see cref="InteractionSelection"/>, is the best of the union of their waiting lines, for random
/// priorities, aging rates, arrivals, sequences, skills, exclusions and shard assignments, alone or beside other queues.
/// </summary>
public class ShardSelectionProperties
{
    private static readonly string[] Channels = ["voice", "chat", "email"];

    private static readonly SkillDemand[] Demands =
    [
        SkillDemand.None,
        new([new SkillRequirement("billing", 2)]),
        new([new SkillRequirement("billing", 3)], ["spanish"]),
    ];

    private sealed record Item(int Priority, int ArrivalSeconds, long Sequence, int Channel, int Demand, bool ExcludesAgent, int Shard);

    private static readonly Gen<Item> GenItem = Gen.Select(
        Gen.Int[0, 8],
        Gen.Int[0, 20],
        Gen.Long[0, 40],
        Gen.Int[0, Channels.Length - 1],
        Gen.Int[0, Demands.Length - 1],
        Gen.Int[0, 5],
        Gen.Int[0, 63],
        (p, a, s, c, d, x, shard) => new Item(p, a, s, c, d, x == 0, shard));

    private static readonly Gen<double> GenAgingRate = Gen.OneOf(Gen.Const(0.0), Gen.Const(1.0), Gen.Double[0.0, 3.0]);

    private static readonly Gen<AgentAvailability> GenAgent = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 2], Gen.Int[0, 1], (billing, chats, voice) =>
        Agent(
            "a0",
            skills: new SkillSet(billing == 0 ? [] : [new KeyValuePair<string, int>("billing", billing), new KeyValuePair<string, int>("spanish", 1)]),
            load: Load(("chat", chats), ("voice", voice))));

    [Fact]
    public void The_best_of_the_shards_bests_is_the_best_of_their_union()
    {
        Gen.Select(GenAgingRate, Gen.Int[1, 6], GenItem.Array[0, 30], GenAgent).Sample((rate, shards, items, agent) =>
        {
            var union = new WaitingList(rate);
            var lines = Enumerable.Range(0, shards).Select(_ => new WaitingList(rate)).ToArray();
            for (var i = 0; i < items.Length; i++)
            {
                var waiting = Waiting(i, items[i]);
                union.Add(waiting);
                lines[items[i].Shard % shards].Add(waiting);
            }

            var now = At(30);
            var shardBests = lines
                .Select((line, shard) => line.BestFor(agent) is { } best ? Candidate("q", best, rate, shard) : (QueueCandidate?)null)
                .OfType<QueueCandidate>()
                .Reverse();

            Assert.Equal(union.BestFor(agent)?.InteractionId, InteractionSelection.Best(shardBests, now)?.InteractionId);
            Assert.Equal(union.BestFor(agent)?.InteractionId, InteractionSelection.BestOfShards(shardBests)?.InteractionId);
        }, iter: 3_000);
    }

    [Fact]
    public void Beside_other_queues_a_sharded_queue_competes_as_its_union_would()
    {
        Gen.Select(GenAgingRate, Gen.Int[2, 5], GenItem.Array[1, 20], Gen.Select(Gen.Int[0, 10], Gen.Int[0, 25], Gen.Double[0.0, 3.0])).Sample((rate, shards, items, other) =>
        {
            var agent = Agent("a0", load: AgentLoad.Empty, skills: new SkillSet([new KeyValuePair<string, int>("billing", 4), new KeyValuePair<string, int>("spanish", 1)]));
            var union = new WaitingList(rate);
            var lines = Enumerable.Range(0, shards).Select(_ => new WaitingList(rate)).ToArray();
            for (var i = 0; i < items.Length; i++)
            {
                var waiting = Waiting(i, items[i] with { ExcludesAgent = false });
                union.Add(waiting);
                lines[items[i].Shard % shards].Add(waiting);
            }

            var now = At(30);
            var elsewhere = new QueueCandidate("other", "o1", other.Item1, other.Item3, At(other.Item2), 1);
            var unsharded = union.BestFor(agent) is { } u ? Candidate("q", u, rate, 0) : (QueueCandidate?)null;
            var expected = InteractionSelection.Best(unsharded is { } c ? [c, elsewhere] : [elsewhere], now);

            var sharded = lines
                .Select((line, shard) => line.BestFor(agent) is { } best ? Candidate("q", best, rate, shard) : (QueueCandidate?)null)
                .OfType<QueueCandidate>()
                .Prepend(elsewhere);

            Assert.Equal(expected?.InteractionId, InteractionSelection.Best(sharded, now)?.InteractionId);
        }, iter: 3_000);
    }

    [Fact]
    public void A_position_in_the_union_is_the_place_in_the_own_shard_plus_those_ahead_in_the_others()
    {
        Gen.Select(GenAgingRate, Gen.Int[1, 6], GenItem.Array[0, 30]).Sample((rate, shards, items) =>
        {
            var union = new WaitingList(rate);
            var lines = Enumerable.Range(0, shards).Select(_ => new WaitingList(rate)).ToArray();
            var placed = new List<(WaitingInteraction Waiting, int Shard)>();
            for (var i = 0; i < items.Length; i++)
            {
                // Distinct arrivals: an arrival at the very same instant in another shard counts as behind.
                var waiting = Waiting(i, items[i]) with { Arrival = At(items[i].ArrivalSeconds).AddTicks(i) };
                union.Add(waiting);
                lines[items[i].Shard % shards].Add(waiting);
                placed.Add((waiting, items[i].Shard % shards));
            }

            foreach (var (w, shard) in placed)
            {
                var ahead = lines.Where((_, k) => k != shard).Sum(line => line.CountAhead(w.Channel, w.BasePriority, w.Arrival));
                Assert.Equal(union.PositionOf(w.InteractionId), lines[shard].PositionOf(w.InteractionId) + ahead);
            }
        }, iter: 2_000);
    }

    [Fact]
    public void A_higher_priority_in_a_later_shard_beats_an_older_one_in_shard_zero()
    {
        var older = new QueueCandidate("q", "older", 1, 1.0, At(0), QueueOrder.ShardSequence(1, 0, 64), Shard: 0);
        var higher = new QueueCandidate("q", "higher", 50, 1.0, At(10), QueueOrder.ShardSequence(1, 2, 64), Shard: 2);

        Assert.Equal("higher", InteractionSelection.Best([older, higher], At(20))?.InteractionId);
        Assert.Equal(2, InteractionSelection.BestOfShards([older, higher])?.Shard);
    }

    [Fact]
    public void Shard_sequences_are_distinct_and_keep_each_shards_own_order()
    {
        var numbers = from shard in Enumerable.Range(0, 64) from counter in Enumerable.Range(1, 50) select (shard, counter, n: QueueOrder.ShardSequence(counter, shard, 64));
        var all = numbers.ToList();

        Assert.Equal(all.Count, all.Select(x => x.n).Distinct().Count());
        Assert.All(all.GroupBy(x => x.shard), g => Assert.Equal(g.OrderBy(x => x.counter).Select(x => x.n), g.OrderBy(x => x.n).Select(x => x.n)));
    }

    private static WaitingInteraction Waiting(int index, Item item) => new(
        $"w{index}",
        Channels[item.Channel],
        item.Priority,
        At(item.ArrivalSeconds),
        // Distinct, as a queue's sequences (and its shards', see QueueOrder.ShardSequence) always are.
        (item.Sequence * 64) + index,
        Demands[item.Demand],
        Demands[item.Demand],
        0,
        item.ExcludesAgent ? Set("a0") : Set());

    private static QueueCandidate Candidate(string queueId, WaitingInteraction w, double rate, int shard) =>
        new(queueId, w.InteractionId, w.BasePriority, rate, w.Arrival, w.Sequence, shard);
}
