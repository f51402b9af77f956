using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class ReconciliationTests
{
    private static WorkItem Held(WorkPhase phase) => new("i1", "chat", "sales", phase, T0, null);

    [Theory]
    [InlineData(WorkPhase.Offered, InteractionState.Offered)]
    [InlineData(WorkPhase.Connected, InteractionState.Connected)]
    [InlineData(WorkPhase.WrapUp, InteractionState.WrapUp)]
    public void Work_the_interaction_agrees_on_is_kept(WorkPhase phase, InteractionState state) =>
        Assert.Equal(ReconcileAction.Keep, Reconciliation.Decide(Held(phase), Interaction("i1", state, "a1"), "a1"));

    [Fact]
    public void Work_whose_interaction_is_gone_is_dropped() =>
        Assert.Equal(ReconcileAction.Drop, Reconciliation.Decide(Held(WorkPhase.Connected), null, "a1"));

    [Fact]
    public void Work_the_interaction_gives_another_agent_is_dropped() =>
        Assert.Equal(ReconcileAction.Drop, Reconciliation.Decide(Held(WorkPhase.Connected), Interaction("i1", InteractionState.Connected, "a2"), "a1"));

    [Fact]
    public void Work_whose_interaction_ended_is_dropped() =>
        Assert.Equal(ReconcileAction.Drop, Reconciliation.Decide(Held(WorkPhase.WrapUp), Interaction("i1", InteractionState.Completed, "a1"), "a1"));

    [Fact]
    public void An_offer_the_interaction_no_longer_shows_as_offered_is_dropped() =>
        Assert.Equal(ReconcileAction.Drop, Reconciliation.Decide(Held(WorkPhase.Offered), Interaction("i1", InteractionState.Connected, "a1"), "a1"));

    [Fact]
    public void An_offer_to_consult_on_a_connected_interaction_is_kept() =>
        Assert.Equal(ReconcileAction.Keep, Reconciliation.Decide(Held(WorkPhase.Offered), Interaction("i1", InteractionState.Connected, "a2", consultAgentId: "a1"), "a1"));

    [Fact]
    public void An_accept_the_interaction_missed_is_told_again() =>
        Assert.Equal(ReconcileAction.RetellAccepted, Reconciliation.Decide(Held(WorkPhase.Connected), Interaction("i1", InteractionState.Offered, "a1"), "a1"));

    [Fact]
    public void A_completion_the_interaction_missed_is_told_again() =>
        Assert.Equal(ReconcileAction.RetellCompleted, Reconciliation.Decide(Held(WorkPhase.WrapUp), Interaction("i1", InteractionState.Connected, "a1"), "a1"));
}
