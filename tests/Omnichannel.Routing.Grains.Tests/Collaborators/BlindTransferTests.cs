using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Interactions;
using static Omnichannel.Routing.Grains.Tests.Collaborators.InteractionCollaboratorData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class BlindTransferTests
{
    private static BlindTransfer Transfer(InteractionFlowFixture f) =>
        new("i-1", f.Clock, f.QueueGrain, f.AgentGrain, f.Recorder, f.Admission, f.Places, f.Progress);

    [Fact]
    public async Task Connected_work_moved_to_a_queue_releases_its_agent_and_starts_a_new_wait_there()
    {
        var f = new InteractionFlowFixture(Snapshot(InteractionState.Connected, agentId: "ana"));

        var moved = await Transfer(f).ToQueueAsync("billing", [], null, Actor.Agent("ana"));

        Assert.Equal((InteractionState.Queued, "billing", (string?)null), (moved.State, moved.QueueId, moved.AgentId));
        Assert.Equal(["i-1", "transferred"], f.Agent("ana").CallsTo(nameof(IAgentGrain.Withdraw)).Single());
        Assert.Equal(f.Clock.GetUtcNow(), ((QueueEntry)f.Queue("billing").CallsTo(nameof(IQueueGrain.Enqueue)).Single()[0]!).Arrival);
        Assert.Equal(RoutingEventType.Transferred, f.Record.Current!.History[^1].Type);
    }

    [Fact]
    public async Task A_waiting_interaction_moved_to_another_queue_leaves_every_queue_it_waited_in_and_keeps_its_arrival()
    {
        var f = new InteractionFlowFixture(Snapshot());
        f.Record.AlsoQueues = ["backup"];

        await Transfer(f).ToQueueAsync("billing", [], "customer asked", new Actor(ActorKind.Supervisor, "sam"));

        Assert.Single(f.Queue("sales").CallsTo(nameof(IQueueGrain.Remove)));
        Assert.Single(f.Queue("backup").CallsTo(nameof(IQueueGrain.Remove)));
        Assert.Equal(At, ((QueueEntry)f.Queue("billing").CallsTo(nameof(IQueueGrain.Enqueue)).Single()[0]!).Arrival);
        Assert.Empty(f.Record.AlsoQueues);
    }

    [Fact]
    public async Task A_target_that_refuses_leaves_the_interaction_where_it_was()
    {
        var f = new InteractionFlowFixture(Snapshot());
        f.Queue("billing").Answers[nameof(IQueueGrain.CheckAdmission)] = _ => Task.FromResult(new EnqueueResult(EnqueueOutcome.Closed, 0, null, null, null));
        var before = f.Record.Current;

        await Assert.ThrowsAsync<RoutingException>(() => Transfer(f).ToQueueAsync("billing", [], null, Actor.Engine));

        Assert.Same(before, f.Record.Current);
        Assert.False(f.Asked("sales"));
        Assert.Empty(f.Record.UnloggedEvents);
    }
}
