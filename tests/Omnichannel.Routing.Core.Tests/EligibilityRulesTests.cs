using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

public class EligibilityRulesTests
{
    private static readonly IReadOnlySet<string> Sales = Set("sales");

    private static InteractionDemand Chat(string id = "i1", SkillDemand? skills = null, IReadOnlySet<string>? excluded = null, string? reservedFor = null) =>
        new(id, "sales", "chat", skills ?? SkillDemand.None, excluded ?? Set(), reservedFor);

    private static Eligibility Check(AgentAvailability agent, InteractionDemand? demand = null, IReadOnlySet<string>? queues = null) =>
        EligibilityRules.Check(agent, queues ?? Sales, demand ?? Chat());

    [Fact]
    public void Ready_member_with_skills_and_capacity_is_eligible()
    {
        Assert.Equal(Eligibility.Eligible, Check(Agent("a")));
    }

    [Fact]
    public void Signed_out_agent_is_not_eligible()
    {
        Assert.Equal(Eligibility.NotSignedIn, Check(Agent("a", signedIn: false)));
    }

    [Theory]
    [InlineData(Presence.Away)]
    [InlineData(Presence.Offline)]
    public void Agent_not_AVAILABLE_is_not_eligible(Presence presence)
    {
        Assert.Equal(Eligibility.NotAvailable, Check(Agent("a", presence: presence)));
    }

    [Fact]
    public void Not_responding_agent_is_not_eligible_until_it_sets_AVAILABLE_again()
    {
        Assert.Equal(Eligibility.NotResponding, Check(Agent("a", notResponding: true)));
    }

    [Fact]
    public void Agent_outside_the_queue_is_not_eligible()
    {
        Assert.Equal(Eligibility.NotMember, Check(Agent("a"), queues: Set("support")));
    }

    [Fact]
    public void Agent_missing_a_required_skill_is_not_eligible()
    {
        var demand = Chat(skills: new SkillDemand([new SkillRequirement("billing", 5)]));

        Assert.Equal(Eligibility.MissingSkill, Check(Agent("a", skills: SkillSet.Of(("billing", 4))), demand));
        Assert.Equal(Eligibility.Eligible, Check(Agent("a", skills: SkillSet.Of(("billing", 5))), demand));
    }

    [Fact]
    public void Agent_without_capacity_for_the_channel_is_not_eligible()
    {
        Assert.Equal(Eligibility.NoCapacity, Check(Agent("a", load: Load(("chat", 3)))));
        Assert.Equal(Eligibility.NoCapacity, Check(Agent("a", load: Load(("voice", 1)))));
        Assert.Equal(Eligibility.NoCapacity, Check(Agent("a", profile: CapacityProfile.SingleInteraction("voice"))));
    }

    [Fact]
    public void Agent_that_rejected_or_timed_out_on_the_interaction_is_not_eligible_for_it()
    {
        Assert.Equal(Eligibility.RejectedBefore, Check(Agent("a"), Chat(excluded: Set("a"))));
        Assert.Equal(Eligibility.Eligible, Check(Agent("b"), Chat(excluded: Set("a"))));
    }

    [Fact]
    public void Agent_held_for_another_interaction_is_not_eligible()
    {
        Assert.Equal(Eligibility.HeldForAnother, Check(Agent("a", heldFor: "call-9"), Chat("i1")));
    }

    [Fact]
    public void Agent_held_for_this_interaction_is_eligible_for_it()
    {
        Assert.Equal(Eligibility.Eligible, Check(Agent("a", heldFor: "i1"), Chat("i1")));
    }

    [Fact]
    public void Interaction_waiting_for_its_preferred_agent_is_not_offered_to_anyone_else()
    {
        Assert.Equal(Eligibility.WaitingForPreferredAgent, Check(Agent("b"), Chat(reservedFor: "a")));
        Assert.Equal(Eligibility.Eligible, Check(Agent("a"), Chat(reservedFor: "a")));
    }

    [Fact]
    public void Presence_is_checked_before_membership_and_skills()
    {
        var demand = Chat(skills: new SkillDemand([new SkillRequirement("billing", 5)]));

        Assert.Equal(Eligibility.NotAvailable, Check(Agent("a", presence: Presence.Away), demand, Set("support")));
    }

    [Fact]
    public void Waiting_list_demand_carries_the_relaxed_skills_exclusions_and_reservation()
    {
        var waiting = new WaitingInteraction(
            "i1", "chat", 0, T0, 1, SkillDemand.None, SkillDemand.None, 0, Set("x"), ReservedFor: "a");

        var demand = waiting.ToDemand("sales");

        Assert.Equal(new InteractionDemand("i1", "sales", "chat", SkillDemand.None, waiting.ExcludedAgents, "a"), demand);
        Assert.Equal(Eligibility.Eligible, Check(Agent("a"), demand));
    }
}
