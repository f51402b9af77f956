using CsCheck;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>
/// A queue split into shards (<see cref="QueueConfig.Shards"/>) serves as one queue: an agent gets the interaction it
/// would have got from the unsharded queue, the queue's figures are its shards' together, and the shard count cannot
/// move under a waiting interaction.
/// </summary>
[Collection(SharedRoutingCluster.Name)]
public sealed class ShardedQueueTests(RoutingCluster cluster)
{
    private static readonly Actor Admin = new(ActorKind.Admin, "test");
    private readonly Scenario _s = new(cluster.Client);

    /// <summary>A fresh interaction id that waits in <paramref name="shard"/> of a queue of <paramref name="shards"/> shards.</summary>
    private static string IdInShard(string queueId, int shard, int shards)
    {
        while (true)
        {
            var id = Guid.NewGuid().ToString("N");
            if (QueueShardKey.For(queueId, id, shards).Shard == shard)
            {
                return id;
            }
        }
    }

    [Fact]
    public async Task A_higher_priority_waiting_in_shard_two_beats_an_older_one_in_shard_zero()
    {
        var queue = await _s.QueueAsync("hot", agingRate: 0, shards: 3);
        var agent = await _s.AgentAsync("puller", [queue], Capacities.Chats(1), signIn: false);
        var older = await _s.RouteAsync(queue, priority: 1, interactionId: IdInShard(queue, 0, 3));
        var higher = await _s.RouteAsync(queue, priority: 50, interactionId: IdInShard(queue, 2, 3));
        var middle = await _s.RouteAsync(queue, priority: 10, interactionId: IdInShard(queue, 1, 3));

        await _s.Agent(agent).SignIn(Presence.Available);

        await _s.WaitForOfferAsync(higher, agent);
        await _s.Agent(agent).Accept(higher);
        await _s.Agent(agent).Complete(higher, null);
        await _s.WaitForOfferAsync(middle, agent);
        Assert.Equal(InteractionState.Queued, (await _s.SnapshotAsync(older)).State);
    }

    [Fact]
    public async Task Each_waiting_interaction_is_found_in_its_shard_and_the_queue_counts_them_all()
    {
        var queue = await _s.QueueAsync("counted", shards: 4);
        var ids = new List<string>();
        for (var shard = 0; shard < 4; shard++)
        {
            ids.Add(await _s.RouteAsync(queue, interactionId: IdInShard(queue, shard, 4)));
        }

        // Same priority, so the place in the whole queue is the order of arrival, whichever shard each is in.
        var positions = new List<int>();
        foreach (var id in ids)
        {
            positions.Add((await _s.SnapshotAsync(id)).QueuePosition);
        }

        Assert.Equal([1, 2, 3, 4], positions);

        var stats = await new QueueShards(_s.Client).GetStatsAsync(queue);
        Assert.Equal(4, stats.Waiting);
        Assert.Equal(queue, stats.QueueId);
        Assert.Equal(1, (await _s.Client.GetGrain<IQueueGrain>(new QueueShardKey(queue, 3).GrainKey).GetStats()).Waiting);

        await _s.Interaction(ids[3]).Cancel("left", new Actor(ActorKind.Frontend, "test"));
        Assert.Equal(3, (await new QueueShards(_s.Client).GetStatsAsync(queue)).Waiting);
    }

    [Fact]
    public async Task The_shard_count_cannot_change_while_an_interaction_waits_and_can_once_none_does()
    {
        var queue = await _s.QueueAsync("resharded", shards: 2);
        var waiting = await _s.RouteAsync(queue, interactionId: IdInShard(queue, 1, 2));
        var shards = new QueueShards(_s.Client);
        var config = (await shards.Queue(queue).GetConfig())!;

        var refused = await Assert.ThrowsAsync<RoutingException>(() => shards.ConfigureAsync(config with { Shards = 3 }, Admin));
        Assert.Equal(RoutingErrorCode.FailedPrecondition, refused.Code);
        Assert.Equal("shards", refused.Field);
        Assert.Equal(2, (await shards.Queue(queue).GetConfig())!.Shards);

        await _s.Interaction(waiting).Cancel("left", new Actor(ActorKind.Frontend, "test"));
        Assert.Equal(3, (await shards.ConfigureAsync(config with { Shards = 3 }, Admin)).Shards);
    }

    [Fact]
    public async Task Members_join_the_shards_a_queue_gains_and_are_offered_work_waiting_there()
    {
        var queue = await _s.QueueAsync("grown", shards: 1);
        var agent = await _s.AgentAsync("member", [queue], Capacities.Chats(1));
        var shards = new QueueShards(_s.Client);
        await shards.ConfigureAsync((await shards.Queue(queue).GetConfig())! with { Shards = 3 }, Admin);

        await Eventually.HoldsAsync(
            () => _s.Client.GetGrain<IQueueGrain>(new QueueShardKey(queue, 2).GrainKey).GetMemberIds(),
            members => members.Contains(agent),
            "the agent to be a member of shard 2",
            Scenario.DefaultWait);
        var inShard2 = await _s.RouteAsync(queue, interactionId: IdInShard(queue, 2, 3));

        await _s.WaitForOfferAsync(inShard2, agent);
    }

    [Fact]
    public async Task An_agent_is_offered_a_sharded_queues_interactions_in_the_order_of_the_unsharded_queue()
    {
        // Aging off, so the order is by priority then arrival whatever the timing; both queues get the same priorities.
        await Gen.Int[0, 3].Array[2, 7].SampleAsync(
            async priorities =>
            {
                // Fresh ids every sample: nothing of an earlier sample waits in these queues.
                var s = new Scenario(_s.Client);
                var unsharded = await s.QueueAsync("order-one", agingRate: 0);
                var sharded = await s.QueueAsync("order-three", agingRate: 0, shards: 3);
                var expected = priorities.Select((p, i) => (p, i)).OrderByDescending(x => x.p).ThenBy(x => x.i).Select(x => x.i).ToList();
                Assert.Equal(expected, await OfferOrderAsync(s, unsharded, priorities));
                Assert.Equal(expected, await OfferOrderAsync(s, sharded, priorities));
            },
            iter: 6,
            threads: 1);
    }

    /// <summary>Routes one interaction per priority, then lets one agent take them one at a time: their indexes, in offer order.</summary>
    private static async Task<List<int>> OfferOrderAsync(Scenario s, string queue, int[] priorities)
    {
        var ids = new List<string>();
        foreach (var priority in priorities)
        {
            ids.Add(await s.RouteAsync(queue, priority: priority));
        }

        var agent = await s.AgentAsync("drain-" + Guid.NewGuid().ToString("N")[..6], [queue], Capacities.Chats(1));
        var order = new List<int>();
        while (order.Count < ids.Count)
        {
            var status = await s.WaitForAgentAsync(agent, a => a.Work.Any(w => w.Phase == WorkPhase.Offered), $"offered the next interaction of {queue} after {order.Count}");
            var offered = status.Work.Single(w => w.Phase == WorkPhase.Offered).InteractionId;
            order.Add(ids.IndexOf(offered));
            await s.Agent(agent).Accept(offered);
            await s.Agent(agent).Complete(offered, null);
        }

        return order;
    }
}
