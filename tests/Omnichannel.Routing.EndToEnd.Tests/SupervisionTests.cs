using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Omnichannel.Routing.EndToEnd.Tests.Durable;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests;

/// <summary>Supervisors and workforce tools over gRPC: live figures and rebalancing that takes effect at once.</summary>
public sealed class SupervisionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly EngineClient _c = new(fixture.Host.Channel);

    private static CapacityProfile OneChat() => new() { TotalUnits = 1, Channels = { new ChannelCapacity { Channel = "chat", MaxConcurrent = 1, UnitCost = 1 } } };

    [Fact]
    public async Task Rebalancing_waiting_interactions_to_a_queue_with_idle_agents_gets_them_offered_at_once_keeping_arrival()
    {
        var crowded = await _c.QueueAsync("crowded");
        var quiet = await _c.QueueAsync("quiet");
        var helper = await _c.AgentAsync("quiet-agent", [quiet]);
        await using var desk = await _c.SignInAsync(helper);
        var waiting = new List<Interaction>();
        for (var i = 0; i < 3; i++)
        {
            waiting.Add(await _c.RouteAsync(crowded));
        }

        var preview = await _c.Supervisor.RebalanceQueueAsync(new RebalanceQueueRequest { SourceQueueId = crowded, TargetQueueId = quiet, MaxInteractions = 2, ValidateOnly = true });

        Assert.True(preview.ValidatedOnly);
        Assert.Equal("erlang-c", preview.Model);
        Assert.Equal([waiting[0].InteractionId, waiting[1].InteractionId], preview.AffectedInteractionIds);
        var source = preview.Impacts.Single(i => i.QueueId == crowded);
        Assert.Equal((3, 1), (source.WaitingBefore, source.WaitingAfter));
        Assert.Equal((0, 2), (preview.Impacts.Single(i => i.QueueId == quiet).WaitingBefore, preview.Impacts.Single(i => i.QueueId == quiet).WaitingAfter));
        Assert.All(waiting, w => Assert.Equal(crowded, _c.GetAsync(w.InteractionId).Result.QueueId));

        var done = await _c.Supervisor.RebalanceQueueAsync(new RebalanceQueueRequest { SourceQueueId = crowded, TargetQueueId = quiet, MaxInteractions = 2 });

        Assert.False(done.ValidatedOnly);
        var first = await desk.NextOfferAsync(waiting[0].InteractionId);
        Assert.Equal(waiting[0].ArrivalTime, first.Interaction.ArrivalTime);
        Assert.Contains((await _c.GetAsync(waiting[0].InteractionId)).History, e => e.Type == "transferred" && e.Actor.Kind == ActorKind.Supervisor);
        Assert.Equal(crowded, (await _c.GetAsync(waiting[2].InteractionId)).QueueId);
    }

    [Fact]
    public async Task Moving_one_interaction_offers_it_in_its_new_queue_and_validate_only_changes_nothing()
    {
        var from = await _c.QueueAsync("move-from");
        var to = await _c.QueueAsync("move-to");
        var routed = await _c.RouteAsync(from);

        await _c.Supervisor.MoveInteractionAsync(new MoveInteractionRequest { InteractionId = routed.InteractionId, TargetQueueId = to, ValidateOnly = true });
        Assert.Equal(from, (await _c.GetAsync(routed.InteractionId)).QueueId);

        var agent = await _c.AgentAsync("move-agent", [to]);
        await using var desk = await _c.SignInAsync(agent);
        await _c.Supervisor.MoveInteractionAsync(new MoveInteractionRequest { InteractionId = routed.InteractionId, TargetQueueId = to, Reason = "VIP" });

        await desk.NextOfferAsync(routed.InteractionId);
    }

    [Fact]
    public async Task Adding_a_skill_to_an_idle_agent_gets_it_the_waiting_interaction_that_needed_it()
    {
        var queue = await _c.QueueAsync("skills");
        var agent = await _c.AgentAsync("learner", [queue], skills: new() { ["english"] = 8 });
        await using var desk = await _c.SignInAsync(agent);
        var german = await _c.RouteAsync(queue, configure: r => r.RequiredSkills.Add(new SkillRequirement { Skill = "german", MinimumLevel = 6 }));

        await _c.Supervisor.SetAgentSkillsAsync(new SetAgentSkillsRequest { AgentId = agent, Skills = { ["english"] = 8, ["german"] = 7 }, ValidateOnly = true });
        Assert.Equal(InteractionState.Queued, (await _c.GetAsync(german.InteractionId)).State);

        await _c.Supervisor.SetAgentSkillsAsync(new SetAgentSkillsRequest { AgentId = agent, Skills = { ["english"] = 8, ["german"] = 7 } });

        await desk.NextOfferAsync(german.InteractionId);
        Assert.Equal(7, (await _c.Admin.GetAgentAsync(new GetAgentRequest { AgentId = agent })).Skills["german"]);
    }

    [Fact]
    public async Task Adding_an_agent_to_a_queue_gets_it_that_queue_s_waiting_work_at_once()
    {
        var home = await _c.QueueAsync("home");
        var backlog = await _c.QueueAsync("backlog");
        var agent = await _c.AgentAsync("floater", [home]);
        await using var desk = await _c.SignInAsync(agent);
        var waiting = await _c.RouteAsync(backlog);

        var preview = await _c.Supervisor.SetAgentQueuesAsync(new SetAgentQueuesRequest { AgentId = agent, QueueIds = { home, backlog }, ValidateOnly = true });
        var impact = preview.Impacts.Single(i => i.QueueId == backlog);
        Assert.Equal((0, 1), (impact.AgentsBefore, impact.AgentsAfter));
        Assert.True(impact.EstimatedWaitAfter.ToTimeSpan() < impact.EstimatedWaitBefore.ToTimeSpan(), "an agent joining should shorten the predicted wait");

        await _c.Supervisor.SetAgentQueuesAsync(new SetAgentQueuesRequest { AgentId = agent, QueueIds = { home, backlog } });

        await desk.NextOfferAsync(waiting.InteractionId);
    }

    [Fact]
    public async Task Closing_a_queue_refuses_new_routes_or_overflows_as_configured_and_opening_it_takes_them_again()
    {
        var spill = await _c.QueueAsync("spill");
        var plain = await _c.QueueAsync("plain");
        var overflowing = await _c.QueueAsync("overflowing", q => q.Overflow = new Overflow { TargetQueueId = spill });

        await _c.Supervisor.SetQueueOpenAsync(new SetQueueOpenRequest { QueueId = plain, Open = false });
        await _c.Supervisor.SetQueueOpenAsync(new SetQueueOpenRequest { QueueId = overflowing, Open = false });

        var refused = await Assert.ThrowsAsync<RpcException>(() => _c.RouteAsync(plain));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.StartsWith("queue_id:", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(spill, (await _c.RouteAsync(overflowing)).QueueId);
        Assert.False((await _c.Supervisor.GetQueueStatsAsync(new GetQueueStatsRequest { QueueId = plain })).Open);

        await _c.Supervisor.SetQueueOpenAsync(new SetQueueOpenRequest { QueueId = plain, Open = true });
        Assert.Equal(plain, (await _c.RouteAsync(plain)).QueueId);
    }

    [Fact]
    public async Task Raising_a_waiting_interaction_s_priority_serves_it_first()
    {
        var queue = await _c.QueueAsync("priorities");
        var first = await _c.RouteAsync(queue);
        var urgent = await _c.RouteAsync(queue);

        var answer = await _c.Supervisor.SetInteractionPriorityAsync(new SetInteractionPriorityRequest { InteractionId = urgent.InteractionId, Priority = 900 });
        Assert.Equal([urgent.InteractionId], answer.AffectedInteractionIds);
        var agent = await _c.AgentAsync("one-at-a-time", [queue], OneChat());
        await using var desk = await _c.SignInAsync(agent);

        await desk.NextOfferAsync(urgent.InteractionId);
        Assert.Equal(InteractionState.Queued, (await _c.GetAsync(first.InteractionId)).State);
        Assert.Contains((await _c.GetAsync(urgent.InteractionId)).History, e => e.Type == "priority_changed" && e.Actor.Kind == ActorKind.Supervisor);
    }

    [Fact]
    public async Task Watchers_of_queue_statistics_and_occupancy_see_every_change_of_a_lifecycle_in_order()
    {
        var queue = await _c.QueueAsync("watched-stats", q => q.WrapUp = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)));
        var agent = await _c.AgentAsync("watched-agent", [queue], OneChat());
        using var stats = _c.Supervisor.WatchQueueStats(new WatchQueueStatsRequest { QueueIds = { queue } });
        using var occupancy = _c.Workforce.WatchAgentOccupancy(new WatchAgentOccupancyRequest { AgentIds = { agent } });
        var statsSeen = new StreamWatch<QueueStats>(stats.ResponseStream);
        var occupancySeen = new StreamWatch<AgentOccupancy>(occupancy.ResponseStream);

        // Each step waits until both watchers have seen its effect before the next, so no change hides another.
        await occupancySeen.UntilAsync(o => !o.SignedIn, "signed out");
        await using var desk = await _c.SignInAsync(agent);
        await occupancySeen.UntilAsync(o => o.SignedIn && o.Activity == AgentActivity.Idle, "idle");
        await statsSeen.UntilAsync(s => s.AgentsAvailable == 1, "one agent available");
        await desk.Agents.SetPresenceAsync(new SetPresenceRequest { AgentId = agent, Presence = Presence.Away });
        await statsSeen.UntilAsync(s => s.AgentsAvailable == 0, "the agent away");
        var routed = await _c.RouteAsync(queue);
        await statsSeen.UntilAsync(s => s.Waiting == 1, "one waiting");
        await desk.Agents.SetPresenceAsync(new SetPresenceRequest { AgentId = agent, Presence = Presence.Available });
        await desk.NextOfferAsync(routed.InteractionId);
        await statsSeen.UntilAsync(s => s.Waiting == 0 && s.Offered == 1, "offered");
        await occupancySeen.UntilAsync(o => o.Activity == AgentActivity.Busy && o.Loads.Any(l => l.Channel == "chat" && l.Active == 1), "busy with the offer");
        await desk.AcceptAsync(routed.InteractionId);
        await statsSeen.UntilAsync(s => s.Connected == 1 && s.Answered == 1, "connected");
        await desk.CompleteAsync(routed.InteractionId);
        await occupancySeen.UntilAsync(o => o.Activity == AgentActivity.WrapUp, "in wrap-up");
        await desk.EndWrapUpAsync(routed.InteractionId);
        await occupancySeen.UntilAsync(o => o.Activity == AgentActivity.Idle && o.Handling.Count == 1 && o.Handling[0].Handled == 1, "idle again, one handled");
        await statsSeen.UntilAsync(s => s.Connected == 0 && s.Offered == 0, "nothing in progress");

        AssertInOrder(
            ["waiting=1 offered=0 connected=0", "waiting=0 offered=1 connected=0", "waiting=0 offered=0 connected=1", "waiting=0 offered=0 connected=0"],
            Collapse(statsSeen.Seen.Select(s => $"waiting={s.Waiting} offered={s.Offered} connected={s.Connected}")));
        Assert.Equal(
            [AgentActivity.SignedOut, AgentActivity.Idle, AgentActivity.Busy, AgentActivity.WrapUp, AgentActivity.Idle],
            Collapse(occupancySeen.Seen.Select(o => o.Activity)));
    }

    [Fact]
    public async Task A_watcher_that_never_reads_does_not_delay_routing()
    {
        var queue = await _c.QueueAsync("unread");
        var agents = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            agents.Add(await _c.AgentAsync($"unread-agent-{i}", [queue]));
        }

        // Opened and never read: the server's buffers keep only the latest figures for each agent and queue.
        using var statsWatcher = _c.Supervisor.WatchQueueStats(new WatchQueueStatsRequest());
        using var occupancyWatcher = _c.Workforce.WatchAgentOccupancy(new WatchAgentOccupancyRequest());
        await using var load = new ContactCentreLoad(_c, queue);
        foreach (var agent in agents)
        {
            load.Staff(agent);
        }

        var routed = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            routed.Add((await _c.RouteAsync(queue)).InteractionId);
        }

        foreach (var id in routed)
        {
            await _c.WaitForAsync(id, i => i.State == InteractionState.Completed, "completed while watchers sat unread");
        }
    }

    /// <summary>Every expected value appears in <paramref name="seen"/>, in this order (others may come between).</summary>
    private static void AssertInOrder(IReadOnlyList<string> expected, IReadOnlyList<string> seen)
    {
        var at = 0;
        foreach (var value in seen)
        {
            if (at < expected.Count && value == expected[at])
            {
                at++;
            }
        }

        Assert.True(at == expected.Count, $"expected in order: {string.Join(" | ", expected)}; seen: {string.Join(" | ", seen)}");
    }

    private static List<T> Collapse<T>(IEnumerable<T> values)
    {
        var collapsed = new List<T>();
        foreach (var v in values)
        {
            if (collapsed.Count == 0 || !EqualityComparer<T>.Default.Equals(collapsed[^1], v))
            {
                collapsed.Add(v);
            }
        }

        return collapsed;
    }

    /// <summary>Reads a server stream in the background and keeps everything it saw, in order.</summary>
    private sealed class StreamWatch<T>
    {
        private readonly List<T> _seen = [];
        private readonly Lock _gate = new();

        public StreamWatch(IAsyncStreamReader<T> stream) => _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in stream.ReadAllAsync())
                {
                    lock (_gate)
                    {
                        _seen.Add(item);
                    }
                }
            }
            catch (RpcException)
            {
                // The test ended the call.
            }
        });

        public IReadOnlyList<T> Seen
        {
            get
            {
                lock (_gate)
                {
                    return [.. _seen];
                }
            }
        }

        public async Task UntilAsync(Func<T, bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + EngineClient.Wait;
            while (!Seen.Any(condition) || !condition(Seen[^1]))
            {
                Assert.True(DateTime.UtcNow < deadline, $"the watcher never saw {what}; last: {(Seen.Count > 0 ? Seen[^1] : default)}");
                await Task.Delay(20);
            }
        }
    }
}
