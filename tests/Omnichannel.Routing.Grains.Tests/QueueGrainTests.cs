using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Tests;

[Collection(SharedRoutingCluster.Name)]
public sealed class QueueGrainTests(RoutingCluster cluster)
{
    private readonly Scenario _s = new(cluster.Client);

    [Fact]
    public async Task An_agent_freeing_capacity_takes_the_highest_effective_priority_across_its_queues()
    {
        var low = await _s.QueueAsync("low");
        var high = await _s.QueueAsync("high");
        var agent = await _s.AgentAsync("busy", [low, high], Capacities.Chats(1));
        var current = await _s.RouteAsync(low);
        await _s.WaitForOfferAsync(current, agent);
        await _s.Agent(agent).Accept(current);

        var older = await _s.RouteAsync(low, priority: 10);
        var urgent = await _s.RouteAsync(high, priority: 500);
        var newest = await _s.RouteAsync(low, priority: 10);
        await _s.Agent(agent).Complete(current, null);

        await _s.WaitForOfferAsync(urgent, agent);
        Assert.Equal(InteractionState.Queued, (await _s.SnapshotAsync(older)).State);

        // Equal priorities: the earlier arrival goes first, whichever queue it is in.
        await _s.Agent(agent).Accept(urgent);
        await _s.Agent(agent).Complete(urgent, null);
        await _s.WaitForOfferAsync(older, agent);
        Assert.Equal(InteractionState.Queued, (await _s.SnapshotAsync(newest)).State);
    }

    [Fact]
    public async Task A_new_interaction_goes_to_the_agent_the_queue_policy_selects()
    {
        var queue = await _s.QueueAsync("balanced", SelectionPolicy.LeastOccupied);
        var loaded = await _s.AgentAsync("loaded", [queue], Capacities.Blended);
        var first = await _s.RouteAsync(queue, "email");
        await _s.WaitForOfferAsync(first, loaded);
        var fresh = await _s.AgentAsync("fresh", [queue], Capacities.Blended);

        var next = await _s.RouteAsync(queue, "chat");

        // Least occupied: 'fresh' uses 0 of 100 units, 'loaded' 20.
        await _s.WaitForOfferAsync(next, fresh);
    }

    [Fact]
    public async Task Skill_relaxation_steps_run_on_the_queue_timer_until_an_agent_qualifies()
    {
        var queue = await _s.QueueAsync("bullseye", relaxation: [new RelaxationStepConfig(TimeSpan.FromMilliseconds(300), "spanish", 5)]);
        var agent = await _s.AgentAsync("learner", [queue], Capacities.Chats(1), ImmutableDictionary<string, int>.Empty.Add("spanish", 6));

        var id = await _s.RouteAsync(queue, skills: [new RequirementConfig("spanish", 9)]);

        Assert.Equal(InteractionState.Queued, (await _s.SnapshotAsync(id)).State);
        var offered = await _s.WaitForOfferAsync(id, agent);
        Assert.Contains(offered.History, e => e.Type == RoutingEventType.Relaxed);
    }

    [Fact]
    public async Task A_preferred_agent_is_waited_for_then_routing_falls_back()
    {
        var queue = await _s.QueueAsync("preferences");
        var favourite = await _s.AgentAsync("favourite", [queue], Capacities.Chats(1));
        var other = await _s.AgentAsync("other", [queue], Capacities.Chats(1));
        var blocker = await _s.RouteAsync(queue, preferredAgent: favourite);
        await _s.WaitForOfferAsync(blocker, favourite);

        var id = await _s.RouteAsync(queue, preferredAgent: favourite, preferredWait: TimeSpan.FromMilliseconds(500));

        Assert.Equal(InteractionState.Queued, (await _s.SnapshotAsync(id)).State);
        var fallback = await _s.WaitForOfferAsync(id, other);
        Assert.Contains(fallback.History, e => e.Type == RoutingEventType.PreferredAgentFallback);
    }

    [Fact]
    public async Task A_preferred_agent_who_is_free_is_offered_first()
    {
        var queue = await _s.QueueAsync("preferred-first");
        var idleLongest = await _s.AgentAsync("idle-longest", [queue], Capacities.Chats(1));
        var favourite = await _s.AgentAsync("favourite", [queue], Capacities.Chats(1));

        var id = await _s.RouteAsync(queue, preferredAgent: favourite);

        await _s.WaitForOfferAsync(id, favourite);
        Assert.Empty((await _s.StatusAsync(idleLongest)).Work);
    }

    [Fact]
    public async Task Overflow_moves_an_interaction_after_its_wait_keeping_arrival()
    {
        var backup = await _s.QueueAsync("backup");
        var primary = await _s.QueueAsync("primary", overflow: new OverflowConfig(backup, TimeSpan.FromMilliseconds(300), OverflowMode.Instead));
        var id = await _s.RouteAsync(primary);
        var arrival = (await _s.SnapshotAsync(id)).ArrivalAt;

        var moved = await _s.WaitForAsync(id, s => s.QueueId == backup, "overflowed to the backup queue");
        var agent = await _s.AgentAsync("backup-agent", [backup], Capacities.Chats(1));

        Assert.Equal(arrival, moved.ArrivalAt);
        await _s.WaitForOfferAsync(id, agent);
    }

    [Fact]
    public async Task Overflow_also_makes_the_interaction_available_in_both_queues()
    {
        var backup = await _s.QueueAsync("also-backup");
        var primary = await _s.QueueAsync("also-primary", overflow: new OverflowConfig(backup, TimeSpan.FromMilliseconds(200), OverflowMode.Also));
        var id = await _s.RouteAsync(primary);
        await _s.WaitForAsync(id, s => s.History.Any(e => e.Type == RoutingEventType.Overflowed), "overflowed");

        var agent = await _s.AgentAsync("also-agent", [backup], Capacities.Chats(1));

        var offered = await _s.WaitForOfferAsync(id, agent);
        Assert.Equal(backup, offered.QueueId);
        // Taken from the backup queue, it no longer waits in the primary one.
        var primaryAgent = await _s.AgentAsync("primary-agent", [primary], Capacities.Chats(1));
        var fresh = await _s.RouteAsync(primary);
        await _s.WaitForOfferAsync(fresh, primaryAgent);
    }

    [Fact]
    public async Task A_full_queue_refuses_with_resource_exhausted_and_a_closed_one_with_failed_precondition()
    {
        var full = await _s.QueueAsync("tiny", maxSize: 1);
        var closed = await _s.QueueAsync("drained", closed: true);
        await _s.RouteAsync(full);

        var fullError = await Assert.ThrowsAsync<RoutingException>(() => _s.RouteAsync(full));
        var closedError = await Assert.ThrowsAsync<RoutingException>(() => _s.RouteAsync(closed));

        Assert.Equal(RoutingErrorCode.ResourceExhausted, fullError.Code);
        Assert.Equal(RoutingErrorCode.FailedPrecondition, closedError.Code);
        Assert.Equal("queue_id", closedError.Field);
    }

    [Fact]
    public async Task A_full_queue_with_overflow_routes_new_arrivals_to_its_target()
    {
        var spill = await _s.QueueAsync("spill");
        var small = await _s.QueueAsync("small", maxSize: 1, overflow: new OverflowConfig(spill, TimeSpan.Zero, OverflowMode.Instead));
        await _s.RouteAsync(small);

        var id = await _s.RouteAsync(small);

        var snapshot = await _s.SnapshotAsync(id);
        Assert.Equal(spill, snapshot.QueueId);
        Assert.Contains(snapshot.History, e => e.Type == RoutingEventType.Overflowed);
    }

    [Fact]
    public async Task A_waiting_call_keeps_an_agent_busy_only_on_chats_from_getting_more_chats()
    {
        var queue = await _s.QueueAsync("no-lockout");
        var agent = await _s.AgentAsync("blended", [queue], Capacities.Blended);
        var chat1 = await _s.RouteAsync(queue, "chat");
        await _s.WaitForOfferAsync(chat1, agent);
        await _s.Agent(agent).Accept(chat1);

        var call = await _s.RouteAsync(queue, "voice");
        await _s.WaitForAsync(call, s => s.History.Any(e => e.Type == RoutingEventType.AgentHeld), "holding the agent");
        var chat2 = await _s.RouteAsync(queue, "chat");

        // The agent has chat room (1 of 3) but is kept free for the call.
        Assert.Equal(InteractionState.Queued, (await _s.SnapshotAsync(chat2)).State);
        await _s.Agent(agent).Complete(chat1, null);
        await _s.WaitForOfferAsync(call, agent);
        Assert.Equal(InteractionState.Queued, (await _s.SnapshotAsync(chat2)).State);
    }

    [Fact]
    public async Task Claiming_the_best_takes_the_highest_priority_interaction_the_agent_may_have_or_answers_none()
    {
        var queue = await _s.QueueAsync("claim-best", agingRate: 0);
        var agentId = _s.Id("claimer");
        var grain = _s.Client.GetGrain<IQueueGrain>(queue);

        // A member not signed in yet, so nothing is proposed to it while the interactions arrive.
        await grain.AddMember(Member(agentId, 1, signedIn: false, Capacities.Chats(1)));
        await _s.RouteAsync(queue, priority: 1);
        var high = await _s.RouteAsync(queue, priority: 9);

        var emailOnly = await grain.ClaimBest(Member(agentId, 2, signedIn: true, new CapacityConfig(100, [new ChannelLimitConfig("email", 1, 100, false)])));
        var claim = await grain.ClaimBest(Member(agentId, 3, signedIn: true, Capacities.Chats(1)));

        Assert.Null(emailOnly);
        Assert.True(claim!.Granted);
        Assert.Equal(high, claim.Entry!.InteractionId);
        Assert.Equal(1, (await grain.GetStats()).Waiting);
        Assert.Null(await grain.Locate(high));
    }

    private static AgentSnapshot Member(string agentId, long version, bool signedIn, CapacityConfig capacity) =>
        new(agentId, version, signedIn, signedIn ? Presence.Available : Presence.Offline, false, ImmutableDictionary<string, int>.Empty, capacity, ImmutableDictionary<string, int>.Empty, DateTimeOffset.UtcNow, null);
}
