using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Interactions;
using static Omnichannel.Routing.Grains.Tests.Collaborators.InteractionCollaboratorData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class InteractionReconcilerTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private static InteractionReconciler Reconciler(InteractionFlowFixture f) =>
        new("i-1", f.Recorder, f.Outbox, f.Places, f.Consult, f.AgentGrain, f.Clock, Period);

    [Fact]
    public async Task A_waiting_interaction_asks_every_queue_it_waits_in_to_hold_it_and_checks_again_after_the_period()
    {
        var f = new InteractionFlowFixture(Snapshot());
        f.Record.AlsoQueues = ["backup"];

        var next = await Reconciler(f).CheckAsync();

        Assert.Equal(f.Clock.GetUtcNow() + Period, next);
        Assert.True(((QueueEntry)f.Queue("sales").CallsTo(nameof(IQueueGrain.Enqueue)).Single()[0]!).Admitted);
        Assert.Single(f.Queue("backup").CallsTo(nameof(IQueueGrain.Enqueue)));
    }

    [Fact]
    public async Task Handled_work_asks_its_agent_to_confirm()
    {
        var f = new InteractionFlowFixture(Snapshot(InteractionState.Connected, agentId: "ana"));

        await Reconciler(f).CheckAsync();

        Assert.Equal(["i-1"], f.Agent("ana").CallsTo(nameof(IAgentGrain.Reconcile)).Single());
    }

    [Fact]
    public async Task An_ended_interaction_with_everything_logged_needs_no_more_checks()
    {
        var f = new InteractionFlowFixture(Snapshot(InteractionState.Abandoned));

        Assert.Null(await Reconciler(f).CheckAsync());
    }

    [Fact]
    public async Task Events_the_log_refused_are_retried_soon_even_after_the_interaction_ended()
    {
        var f = new InteractionFlowFixture(Snapshot(InteractionState.Abandoned));
        f.Outbox.Add(RoutingEvent.ForQueue(At, "sales", 1, RoutingEventType.Closed, Actor.Engine, null));
        f.LogFails = true;

        var next = await Reconciler(f).CheckAsync();

        Assert.NotNull(next);
        Assert.True(next <= f.Clock.GetUtcNow() + TimeSpan.FromSeconds(5));
        Assert.False(f.Outbox.IsEmpty);
    }
}
