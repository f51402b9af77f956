using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Tests;

[Collection(SharedRoutingCluster.Name)]
public sealed class AgentGrainTests(RoutingCluster cluster)
{
    private readonly Scenario _s = new(cluster.Client);

    [Fact]
    public async Task Two_queues_racing_for_one_agent_never_overfill_it()
    {
        var q1 = await _s.QueueAsync("race-a");
        var q2 = await _s.QueueAsync("race-b");
        var agent = await _s.AgentAsync("racer", [q1, q2], Capacities.Chats(2));

        var highest = 0;
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var status = await _s.StatusAsync(agent);
                highest = Math.Max(highest, status.Loads.Single(l => l.Channel == "chat").Active);
            }
        });

        var routes = Enumerable.Range(0, 20).Select(i => _s.RouteAsync(i % 2 == 0 ? q1 : q2)).ToList();
        var ids = await Task.WhenAll(routes);
        var full = await _s.WaitForAgentAsync(agent, a => a.Work.Length == 2, "holding two offers");
        await Task.Delay(200); // let any late proposal arrive and be declined
        await stop.CancelAsync();
        await watcher;

        var snapshots = await Task.WhenAll(ids.Select(_s.SnapshotAsync));
        Assert.Equal(2, snapshots.Count(s => s.State == InteractionState.Offered));
        Assert.Equal(18, snapshots.Count(s => s.State == InteractionState.Queued));
        Assert.All(snapshots.Where(s => s.State == InteractionState.Offered), s => Assert.Equal(agent, s.AgentId));
        Assert.Equal(2, (await _s.StatusAsync(agent)).Loads.Single(l => l.Channel == "chat").Active);
        Assert.True(highest <= 2, $"the agent held {highest} chats at once with a limit of 2");
        Assert.Equal(2, full.Work.Length);
    }

    [Fact]
    public async Task Offer_timeout_reroutes_and_marks_the_agent_not_responding()
    {
        var queue = await _s.QueueAsync("timeouts", offerTimeout: TimeSpan.FromMilliseconds(300));
        var first = await _s.AgentAsync("slow", [queue], Capacities.Chats(1));
        var id = await _s.RouteAsync(queue);
        await _s.WaitForOfferAsync(id, first);
        var second = await _s.AgentAsync("fast", [queue], Capacities.Chats(1));

        var rerouted = await _s.WaitForOfferAsync(id, second);

        Assert.Contains(first, rerouted.ExcludedAgents);
        var slow = await _s.StatusAsync(first);
        Assert.Equal(AgentActivity.NotResponding, slow.Activity);
        Assert.Empty(slow.Work);
        var history = (await _s.SnapshotAsync(id)).History.Select(e => e.Type).ToList();
        Assert.Equal([RoutingEventType.Routed, RoutingEventType.Offered, RoutingEventType.OfferTimedOut, RoutingEventType.Offered], history);

        // Not-responding agents get nothing until they set AVAILABLE again.
        var next = await _s.RouteAsync(queue);
        Assert.Equal(InteractionState.Queued, (await _s.SnapshotAsync(next)).State);
        await _s.Agent(first).SetPresence(Presence.Available);
        await _s.WaitForOfferAsync(next, first);
    }

    [Fact]
    public async Task Reject_never_reoffers_to_the_agent_who_rejected()
    {
        var queue = await _s.QueueAsync("rejects");
        var picky = await _s.AgentAsync("picky", [queue], Capacities.Chats(3));
        var id = await _s.RouteAsync(queue);
        await _s.WaitForOfferAsync(id, picky);

        var afterReject = await _s.Agent(picky).Reject(id, "not mine");

        Assert.Equal(InteractionState.Queued, afterReject.State);
        Assert.Contains(picky, afterReject.ExcludedAgents);
        // A second interaction reaches the same agent, proving it is ready and was asked again.
        var other = await _s.RouteAsync(queue);
        await _s.WaitForOfferAsync(other, picky);
        Assert.Equal(InteractionState.Queued, (await _s.SnapshotAsync(id)).State);

        var helper = await _s.AgentAsync("helper", [queue], Capacities.Chats(3));
        var offered = await _s.WaitForOfferAsync(id, helper);
        Assert.DoesNotContain(offered.History, e => e.Type == RoutingEventType.Offered && e.AgentId == picky && e.Sequence > afterReject.History[^1].Sequence);
    }

    [Fact]
    public async Task Sign_out_returns_offers_to_the_queue_keeping_arrival_time()
    {
        var queue = await _s.QueueAsync("signouts");
        var leaving = await _s.AgentAsync("leaving", [queue], Capacities.Chats(2));
        var offered = await _s.RouteAsync(queue);
        var connected = await _s.RouteAsync(queue);
        await _s.WaitForOfferAsync(offered, leaving);
        await _s.WaitForOfferAsync(connected, leaving);
        await _s.Agent(leaving).Accept(connected);
        var arrival = (await _s.SnapshotAsync(offered)).ArrivalAt;

        await _s.Agent(leaving).SignOut("end of shift");

        var back = await _s.SnapshotAsync(offered);
        Assert.Equal(InteractionState.Queued, back.State);
        Assert.Equal(arrival, back.ArrivalAt);
        Assert.DoesNotContain(leaving, back.ExcludedAgents);
        Assert.Equal(InteractionState.Connected, (await _s.SnapshotAsync(connected)).State);

        var staying = await _s.AgentAsync("staying", [queue], Capacities.Chats(2));
        var reoffered = await _s.WaitForOfferAsync(offered, staying);
        Assert.Equal(arrival, reoffered.ArrivalAt);
    }

    [Fact]
    public async Task Completing_starts_wrap_up_that_holds_capacity_until_its_timer_ends()
    {
        var queue = await _s.QueueAsync("wrapups", wrapUp: TimeSpan.FromMilliseconds(400));
        var agent = await _s.AgentAsync("wrapper", [queue], Capacities.Chats(1));
        var first = await _s.RouteAsync(queue);
        await _s.WaitForOfferAsync(first, agent);
        await _s.Agent(agent).Accept(first);
        var second = await _s.RouteAsync(queue);

        var wrapping = await _s.Agent(agent).Complete(first, "resolved");

        Assert.Equal(InteractionState.WrapUp, wrapping.State);
        Assert.Equal(AgentActivity.WrapUp, (await _s.StatusAsync(agent)).Activity);
        Assert.Equal(InteractionState.Queued, (await _s.SnapshotAsync(second)).State);
        await _s.WaitForAsync(first, s => s.State == InteractionState.Completed, "completed by the wrap-up timer");
        await _s.WaitForOfferAsync(second, agent);
    }

    [Fact]
    public async Task Accepting_an_offer_that_is_not_held_is_refused_and_changes_nothing()
    {
        var queue = await _s.QueueAsync("refusals");
        var agent = await _s.AgentAsync("refuser", [queue], Capacities.Chats(1));

        var error = await Assert.ThrowsAsync<RoutingException>(() => _s.Agent(agent).Accept("no-such-interaction"));

        Assert.Equal(RoutingErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("interaction_id", error.Field);
        Assert.Equal(AgentActivity.Idle, (await _s.StatusAsync(agent)).Activity);
    }
}
