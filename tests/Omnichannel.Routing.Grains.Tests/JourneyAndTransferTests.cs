using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Tests;

[Collection(SharedRoutingCluster.Name)]
public sealed class JourneyAndTransferTests(RoutingCluster cluster)
{
    private readonly Scenario _s = new(cluster.Client);

    [Fact]
    public async Task A_warm_transfer_holds_both_agents_capacity_until_the_second_accepts_then_releases_the_first()
    {
        var queue = await _s.QueueAsync("warm");
        var first = await _s.AgentAsync("first", [queue], Capacities.Chats(1));
        var second = await _s.AgentAsync("second", [], Capacities.Chats(1));
        var id = await ConnectedWithAsync(queue, first);

        var entry = await _s.Interaction(id).PrepareTransferToAgent(second, ImmutableDictionary<string, string>.Empty.Add("summary", "refund agreed"), Actor.Agent(first), warm: true);
        var offered = await _s.Agent(second).OfferTransfer(entry, queue, Actor.Agent(first));

        Assert.Equal(InteractionState.Offered, offered.State);
        var during = await _s.SnapshotAsync(id);
        Assert.Equal(InteractionState.Connected, during.State);
        Assert.Equal(first, during.AgentId);
        Assert.Equal(second, during.ConsultAgentId);
        Assert.Single((await _s.StatusAsync(first)).Work);
        Assert.Single((await _s.StatusAsync(second)).Work);

        var taken = await _s.Agent(second).Accept(id);

        Assert.Equal(InteractionState.Connected, taken.State);
        Assert.Equal(second, taken.AgentId);
        Assert.Null(taken.ConsultAgentId);
        Assert.Equal("refund agreed", taken.Context["summary"]);
        await _s.WaitForAgentAsync(first, a => a.Work.IsEmpty, "released once the second agent accepted");
        Assert.Contains(taken.History, e => e.Type == RoutingEventType.Transferred && e.AgentId == second);
    }

    [Fact]
    public async Task A_rejected_warm_transfer_leaves_the_first_agent_connected()
    {
        var queue = await _s.QueueAsync("warm-reject");
        var first = await _s.AgentAsync("first", [queue], Capacities.Chats(1));
        var second = await _s.AgentAsync("second", [], Capacities.Chats(1));
        var id = await ConnectedWithAsync(queue, first);
        var entry = await _s.Interaction(id).PrepareTransferToAgent(second, ImmutableDictionary<string, string>.Empty, Actor.Agent(first), warm: true);
        await _s.Agent(second).OfferTransfer(entry, queue, Actor.Agent(first));

        var afterReject = await _s.Agent(second).Reject(id, "busy");

        Assert.Equal(InteractionState.Connected, afterReject.State);
        Assert.Equal(first, afterReject.AgentId);
        Assert.Null(afterReject.ConsultAgentId);
        Assert.Empty((await _s.StatusAsync(second)).Work);
        await _s.Agent(first).Complete(id, "resolved by the first agent");
        await _s.WaitForAsync(id, s => s.State == InteractionState.Completed, "completed by the first agent");
    }

    [Fact]
    public async Task A_warm_transfer_to_a_queue_keeps_the_first_agent_until_an_agent_of_that_queue_accepts()
    {
        var tier1 = await _s.QueueAsync("warm-tier1");
        var tier2 = await _s.QueueAsync("warm-tier2");
        var first = await _s.AgentAsync("first", [tier1, tier2], Capacities.Chats(2));
        var id = await ConnectedWithAsync(tier1, first);

        var consulting = await _s.Interaction(id).TransferToQueue(tier2, ImmutableDictionary<string, string>.Empty, "needs a specialist", Actor.Agent(first), warm: true);
        Assert.Equal(InteractionState.Connected, consulting.State);
        Assert.Equal(tier2, consulting.ConsultQueueId);

        // The agent it leaves is never offered it back, even with room in the target queue.
        var specialist = await _s.AgentAsync("specialist", [tier2], Capacities.Chats(1));
        var offered = await _s.WaitForAsync(id, s => s.ConsultAgentId == specialist, "offered to the specialist");
        Assert.Equal(first, offered.AgentId);
        await _s.Agent(specialist).Accept(id);

        var transferred = await _s.SnapshotAsync(id);
        Assert.Equal(specialist, transferred.AgentId);
        await _s.WaitForAgentAsync(first, a => a.Work.IsEmpty, "released after the specialist accepted");
    }

    [Fact]
    public async Task The_customer_journey_stays_bounded_in_the_grain_and_newest_first()
    {
        var queue = await _s.QueueAsync("journey");
        var customer = _s.Id("loyal");
        var ids = new List<string>();
        for (var i = 0; i < 230; i++)
        {
            var id = await _s.RouteAsync(queue, customer: customer);
            await _s.Interaction(id).Cancel("customer left", new Actor(ActorKind.Frontend, "test"));
            ids.Add(id);
        }

        var page = await Eventually.HoldsAsync(
            () => cluster.Client.GetGrain<ICustomerGrain>(customer).GetJourney(1000, null),
            p => p.Entries.Length == 200 && p.Entries[0].InteractionId == ids[^1],
            "the journey to hold the newest 200",
            Scenario.DefaultWait);

        // The embedded default keeps no log beyond the grain's bound: the page ends there.
        Assert.Null(page.NextPageToken);
        Assert.Equal(ids.AsEnumerable().Reverse().Take(200), page.Entries.Select(e => e.InteractionId));
        Assert.All(page.Entries, e => Assert.Equal(InteractionState.Abandoned, e.State));
    }

    private async Task<string> ConnectedWithAsync(string queue, string agent)
    {
        var id = await _s.RouteAsync(queue);
        await _s.WaitForOfferAsync(id, agent);
        await _s.Agent(agent).Accept(id);
        return id;
    }
}
