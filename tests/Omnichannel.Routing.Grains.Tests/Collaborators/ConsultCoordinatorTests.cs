using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Interactions;
using static Omnichannel.Routing.Grains.Tests.Collaborators.InteractionCollaboratorData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class ConsultCoordinatorTests
{
    private InteractionFlowFixture _f = new(Snapshot());

    private ConsultCoordinator Coordinator(InteractionSnapshot current)
    {
        _f = new InteractionFlowFixture(current);
        return _f.Consult;
    }

    private static InteractionSnapshot Consulting(string? agentId = null, string? queueId = null) =>
        Snapshot(InteractionState.Connected, agentId: "ana") with { ConsultAgentId = agentId, ConsultQueueId = queueId };

    private QueueEntry Enqueued(string queueId) => (QueueEntry)_f.Queue(queueId).CallsTo(nameof(IQueueGrain.Enqueue)).Single()[0]!;

    [Fact]
    public async Task A_queue_consult_waits_from_when_it_was_asked_and_is_never_offered_to_the_agent_it_leaves()
    {
        var waiting = await Coordinator(Consulting()).ToQueueAsync("billing", [], null, Actor.Agent("ana"));

        var entry = Enqueued("billing");
        Assert.Equal(_f.Clock.GetUtcNow(), entry.Arrival);
        Assert.Equal(["bob", "ana"], entry.ExcludedAgents.ToArray());
        Assert.Null(entry.PreferredAgentId);
        Assert.Equal(("ana", InteractionState.Connected, "billing"), (waiting.AgentId, waiting.State, waiting.ConsultQueueId));
        Assert.Equal(RoutingEventType.ConsultQueued, _f.Record.Current!.History[^1].Type);
    }

    [Fact]
    public async Task A_queue_consult_whose_request_left_the_bounded_history_waits_from_now()
    {
        await Coordinator(Consulting(queueId: "billing")).ResumeAsync(Consulting(queueId: "billing"));

        Assert.Equal(_f.Clock.GetUtcNow(), Enqueued("billing").Arrival);
    }

    [Fact]
    public async Task A_consulted_agent_who_accepts_takes_over_and_the_first_agent_is_released()
    {
        var taken = await Coordinator(Consulting(agentId: "bob")).CompleteAsync("bob", Actor.Agent("bob"));

        Assert.Equal("bob", taken.AgentId);
        Assert.Equal(["i-1", "transferred"], _f.Agent("ana").CallsTo(nameof(IAgentGrain.Withdraw)).Single());
        Assert.Equal("bob", ((JourneyEntryView)_f.Customer.Calls.Single().Args[0]!).AgentId);
    }

    [Fact]
    public async Task A_rejected_queue_consult_stays_with_the_first_agent_and_looks_again_without_the_agent_who_refused()
    {
        var kept = await Coordinator(Consulting(agentId: "bob", queueId: "billing")).DeclineAsync("bob", ReturnReason.Rejected, null);

        Assert.Equal("ana", kept.AgentId);
        Assert.Null(kept.ConsultAgentId);
        Assert.Contains("bob", Enqueued("billing").ExcludedAgents);
        Assert.Equal(ActorKind.Agent, kept.History[^1].Actor.Kind);
    }

    [Fact]
    public async Task Calling_off_a_consult_withdraws_it_from_the_consulted_agent_and_the_consult_queue()
    {
        await Coordinator(Consulting()).CallOffAsync(Consulting(agentId: "bob", queueId: "billing"));

        Assert.Equal(["i-1", "cancelled"], _f.Agent("bob").CallsTo(nameof(IAgentGrain.Withdraw)).Single());
        Assert.Equal(["i-1"], _f.Queue("billing").CallsTo(nameof(IQueueGrain.Remove)).Single());
        Assert.Empty(_f.Agent("ana").Calls);
    }

    [Fact]
    public async Task Resuming_asks_the_consulted_agent_or_else_the_consult_queue_never_both()
    {
        await Coordinator(Consulting()).ResumeAsync(Consulting(agentId: "bob", queueId: "billing"));
        Assert.Single(_f.Agent("bob").CallsTo(nameof(IAgentGrain.Reconcile)));
        Assert.False(_f.Asked("billing"));

        var coordinator = Coordinator(Consulting());
        await coordinator.ResumeAsync(Consulting(queueId: "billing"));
        Assert.Single(_f.Queue("billing").CallsTo(nameof(IQueueGrain.Enqueue)));
        Assert.Empty(_f.Agent("bob").Calls);
    }
}
