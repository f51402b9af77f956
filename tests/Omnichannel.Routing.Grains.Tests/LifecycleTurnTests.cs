using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>
/// How many grain turns one lifecycle (route, offer, accept, complete, end wrap-up) costs, counted by
/// <see cref="GrainCallTally"/>: budgets that guard against a change adding hops on the hot path. Only calls grains
/// make to this test's grains count, from the route until every grain shows the lifecycle done; the test's own calls
/// (route, accept, complete, end wrap-up and the polling) and timer ticks do not. Two paths: a call offered to an idle
/// agent (the queue proposes, the agent claims), and a call that waits for a busy agent, which takes it when it ends
/// the wrap-up of the call before (the agent pulls).
/// </summary>
[Collection(SharedRoutingCluster.Name)]
public sealed class LifecycleTurnTests(RoutingCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan WrapUp = TimeSpan.FromMinutes(5);
    private readonly Scenario _s = new(cluster.Client);

    private GrainCallTally Tally => ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost!.Services.GetRequiredService<GrainCallTally>();

    [Fact]
    public async Task A_lifecycle_for_an_agent_in_one_queue_takes_at_most_9_queue_turns() =>
        WithinBudget(await CountedLifecycleAsync(queueCount: 1, busy: false), queueTurns: 9, calls: 18);

    [Fact]
    public async Task A_lifecycle_for_an_agent_in_two_queues_takes_at_most_11_queue_turns() =>
        WithinBudget(await CountedLifecycleAsync(queueCount: 2, busy: false), queueTurns: 11, calls: 20);

    [Fact]
    public async Task A_call_that_waits_for_a_busy_agent_in_one_queue_takes_at_most_11_queue_turns() =>
        WithinBudget(await CountedLifecycleAsync(queueCount: 1, busy: true), queueTurns: 11, calls: 22);

    [Fact]
    public async Task A_call_that_waits_for_a_busy_agent_in_two_queues_takes_at_most_15_queue_turns() =>
        WithinBudget(await CountedLifecycleAsync(queueCount: 2, busy: true), queueTurns: 15, calls: 26);

    private static void WithinBudget(CallWindow counted, int queueTurns, int calls)
    {
        AtMost(queueTurns, counted.To(nameof(QueueGrain)), "queue turns", counted);
        AtMost(calls, counted.Total, "grain calls", counted);
    }

    /// <summary>
    /// An agent in <paramref name="queueCount"/> queues, idle or (<paramref name="busy"/>) connected to a first call,
    /// and the lifecycle of a call routed to the first queue, counted (see <see cref="CountedLifecycleAsync(string, string, string[], string?)"/>).
    /// </summary>
    private async Task<CallWindow> CountedLifecycleAsync(int queueCount, bool busy)
    {
        var queues = new string[queueCount];
        for (var i = 0; i < queueCount; i++)
        {
            queues[i] = await _s.QueueAsync($"turns-{i}", wrapUp: WrapUp);
        }

        var agent = await _s.AgentAsync("counted", queues, Capacities.Chats(1));
        var first = busy ? await BusyAsync(agent, queues[0]) : null;
        return await CountedLifecycleAsync(agent, queues[0], queues, busyWith: first);
    }

    /// <summary>The agent takes a first call and is connected to it: busy, with nothing else waiting.</summary>
    private async Task<string> BusyAsync(string agent, string queue)
    {
        var first = await _s.RouteAsync(queue, interactionId: _s.Id("first"), customer: _s.Id("first-caller"));
        await OfferedAsync(agent, first);
        await _s.Agent(agent).Accept(first);

        // What the accept told the queue and the customer has reached them before counting starts.
        await StatsAsync(queue, s => s is { Connected: 1, Answered: 1 }, "the first call connected");
        await JourneyShowsAsync(_s.Id("first-caller"), first, InteractionState.Connected);
        return first;
    }

    /// <summary>
    /// Routes one chat to <paramref name="queue"/> and takes it through to the end of wrap-up with
    /// <paramref name="agent"/>, counting from the route until the agent, the interactions, every queue and the
    /// customers show it done. An agent <paramref name="busyWith"/> a call first finishes that one (counted too), which
    /// frees it to take the new call, waiting meanwhile.
    /// </summary>
    private async Task<CallWindow> CountedLifecycleAsync(string agent, string queue, string[] queues, string? busyWith)
    {
        // What the agent last did has reached every queue before counting starts.
        foreach (var q in queues)
        {
            await StatsAsync(q, s => s.AgentsAvailable == (busyWith is null ? 1 : 0), busyWith is null ? "the agent available" : "the agent busy");
        }

        var call = _s.Id("call");
        var customer = _s.Id("caller");
        using var window = Tally.Open(_s.Id(string.Empty));

        await _s.RouteAsync(queue, interactionId: call, customer: customer);
        if (busyWith is not null)
        {
            await _s.Agent(agent).Complete(busyWith, null);
            await _s.Agent(agent).EndWrapUp(busyWith);
        }

        await OfferedAsync(agent, call);
        await _s.Agent(agent).Accept(call);
        await _s.Agent(agent).Complete(call, "done");
        await _s.Agent(agent).EndWrapUp(call);

        // Settled: each grain the lifecycle told something shows it (a read queued behind what it was told).
        await _s.WaitForAgentAsync(agent, a => a.Work.IsEmpty && a.Activity == AgentActivity.Idle, "idle again");
        foreach (var q in queues)
        {
            await StatsAsync(q, s => s is { Waiting: 0, Offered: 0, Connected: 0, AgentsAvailable: 1 }, "nothing in hand and the agent available");
        }

        await StatsAsync(queue, s => s.Answered == (busyWith is null ? 1 : 2), "the calls answered");
        await CompletedAsync(call, customer);
        if (busyWith is not null)
        {
            await CompletedAsync(busyWith, _s.Id("first-caller"));
        }

        output.WriteLine(window.Table());
        output.WriteLine($"total {window.Total}");

        // A budget met by counting nothing would prove nothing: the queue was asked to admit the call, at least.
        Assert.Contains(new GrainCall(nameof(QueueGrain), nameof(IQueueGrain.Enqueue)), window.Counts.Keys);
        return window;
    }

    /// <summary>Waits on the agent, not the interaction: reading a queued interaction asks its queue where it stands.</summary>
    private Task<AgentStatusView> OfferedAsync(string agent, string interaction) =>
        _s.WaitForAgentAsync(agent, a => a.Work.Any(w => w.InteractionId == interaction && w.Phase == WorkPhase.Offered), $"offered {interaction}");

    private async Task CompletedAsync(string interaction, string customer)
    {
        Assert.Equal(InteractionState.Completed, (await _s.SnapshotAsync(interaction)).State);
        await JourneyShowsAsync(customer, interaction, InteractionState.Completed);
    }

    private Task<JourneyPage> JourneyShowsAsync(string customer, string interaction, InteractionState state) =>
        Eventually.HoldsAsync(
            () => _s.Client.GetGrain<ICustomerGrain>(customer).GetJourney(10, null),
            page => page.Entries.Any(e => e.InteractionId == interaction && e.State == state),
            $"{customer}'s journey to show {interaction} {state}",
            Scenario.DefaultWait);

    private Task<QueueStatsView> StatsAsync(string queueId, Func<QueueStatsView, bool> condition, string what) =>
        Eventually.HoldsAsync(() => _s.Client.GetGrain<IQueueGrain>(queueId).GetStats(), condition, $"{queueId}: {what}", Scenario.DefaultWait);

    private static void AtMost(int budget, int counted, string what, CallWindow calls) =>
        Assert.True(counted <= budget, $"{counted} {what}, budget {budget}:{Environment.NewLine}{calls.Table()}");
}
