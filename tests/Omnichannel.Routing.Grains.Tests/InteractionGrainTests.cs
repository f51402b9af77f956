using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Tests;

[Collection(SharedRoutingCluster.Name)]
public sealed class InteractionGrainTests(RoutingCluster cluster)
{
    private readonly Scenario _s = new(cluster.Client);

    [Fact]
    public async Task The_same_route_command_a_hundred_times_at_once_creates_one_interaction()
    {
        var queue = await _s.QueueAsync("idempotent");
        var id = "idem-" + Guid.NewGuid().ToString("N");
        var command = new RouteCommand("req-1", _s.Id("cust"), "chat", queue, 0, [], [], ImmutableDictionary<string, string>.Empty, null, false, TimeSpan.Zero, new Actor(ActorKind.Frontend, "test"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => _s.Interaction(id).Route(command)));

        Assert.Single(outcomes, o => !o.Replayed);
        Assert.All(outcomes, o => Assert.Equal(id, o.Interaction.InteractionId));
        Assert.Equal(1, (await _s.SnapshotAsync(id)).History.Count(e => e.Type == RoutingEventType.Routed));
    }

    [Fact]
    public async Task Cancelling_while_offered_abandons_it_and_frees_the_agent()
    {
        var queue = await _s.QueueAsync("cancels");
        var agent = await _s.AgentAsync("cancelled-on", [queue], Capacities.Chats(1));
        var id = await _s.RouteAsync(queue);
        await _s.WaitForOfferAsync(id, agent);

        var cancelled = await _s.Interaction(id).Cancel("caller hung up", new Actor(ActorKind.Frontend, "test"));

        Assert.Equal(InteractionState.Abandoned, cancelled.State);
        await _s.WaitForAgentAsync(agent, a => a.Work.IsEmpty, "free again");
        var error = await Assert.ThrowsAsync<RoutingException>(() => _s.Agent(agent).Accept(id));
        Assert.Equal(RoutingErrorCode.FailedPrecondition, error.Code);
    }

    [Fact]
    public async Task Cancelling_while_queued_removes_it_from_the_queue()
    {
        var queue = await _s.QueueAsync("cancel-queued");
        var id = await _s.RouteAsync(queue);

        await _s.Interaction(id).Cancel(null, new Actor(ActorKind.Frontend, "test"));
        var agent = await _s.AgentAsync("late", [queue], Capacities.Chats(1));
        var next = await _s.RouteAsync(queue);

        await _s.WaitForOfferAsync(next, agent);
        Assert.Equal(InteractionState.Abandoned, (await _s.SnapshotAsync(id)).State);
    }

    [Fact]
    public async Task Every_state_change_is_recorded_in_order_with_who_caused_it()
    {
        var queue = await _s.QueueAsync("history");
        var agent = await _s.AgentAsync("historian", [queue], Capacities.Chats(1));
        var id = await _s.RouteAsync(queue);
        await _s.WaitForOfferAsync(id, agent);
        await _s.Agent(agent).Accept(id);
        await _s.Agent(agent).Complete(id, "resolved");

        var done = await _s.WaitForAsync(id, s => s.State == InteractionState.Completed, "completed");

        Assert.Equal([RoutingEventType.Routed, RoutingEventType.Offered, RoutingEventType.Accepted, RoutingEventType.Completed, RoutingEventType.WrapUpEnded], done.History.Select(e => e.Type));
        Assert.Equal(done.History.Select(e => e.Sequence).Order(), done.History.Select(e => e.Sequence));
        Assert.Equal(ActorKind.Frontend, done.History[0].Actor.Kind);
        Assert.Equal(Actor.Agent(agent), done.History[2].Actor);
        Assert.Equal("resolved", done.Disposition);
    }

    [Fact]
    public async Task Transfer_to_a_queue_releases_the_first_agent_and_keeps_context()
    {
        var first = await _s.QueueAsync("tier1");
        var second = await _s.QueueAsync("tier2");
        var agentA = await _s.AgentAsync("tier1-agent", [first], Capacities.Chats(1));
        var id = await _s.RouteAsync(first);
        await _s.WaitForOfferAsync(id, agentA);
        await _s.Agent(agentA).Accept(id);

        var moved = await _s.Interaction(id).TransferToQueue(second, ImmutableDictionary<string, string>.Empty.Add("note", "needs tier 2"), "escalation", Actor.Agent(agentA), warm: false);

        Assert.Equal(InteractionState.Queued, moved.State);
        Assert.Equal("needs tier 2", moved.Context["note"]);
        await _s.WaitForAgentAsync(agentA, a => a.Work.IsEmpty, "released");
        var agentB = await _s.AgentAsync("tier2-agent", [second], Capacities.Chats(1));
        var offered = await _s.WaitForOfferAsync(id, agentB);
        Assert.Equal("needs tier 2", offered.Context["note"]);
    }

    [Fact]
    public async Task Transfer_to_an_agent_offers_it_straight_to_them()
    {
        var queue = await _s.QueueAsync("direct");
        var agentA = await _s.AgentAsync("from", [queue], Capacities.Chats(1));
        var agentB = await _s.AgentAsync("to", [], Capacities.Chats(1));
        var id = await _s.RouteAsync(queue);
        await _s.WaitForOfferAsync(id, agentA);
        await _s.Agent(agentA).Accept(id);

        var entry = await _s.Interaction(id).PrepareTransferToAgent(agentB, ImmutableDictionary<string, string>.Empty, Actor.Agent(agentA), warm: false);
        var offered = await _s.Agent(agentB).OfferTransfer(entry, queue, Actor.Agent(agentA));

        Assert.Equal(InteractionState.Offered, offered.State);
        Assert.Equal(agentB, offered.AgentId);
        await _s.WaitForAgentAsync(agentA, a => a.Work.IsEmpty, "released after the transfer");
        await _s.Agent(agentB).Accept(id);
    }
}
