using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using static Omnichannel.Routing.Grains.Tests.Collaborators.QueueTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class WaitPlannerTests
{
    private static readonly TimeSpan PreferredWait = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_ready_preferred_member_is_proposed_the_interaction_before_anyone_idler()
    {
        var rig = new QueueRig();
        rig.Join(Agent("alice", idleSince: T0.AddMinutes(-10)));
        rig.Join(Agent("bob", idleSince: T0.AddMinutes(-1)));

        Assert.True(rig.Admit(Entry("i1", preferredAgent: "bob", preferredWait: PreferredWait)));

        Assert.Equal("bob", rig.ProposedTo("i1"));
    }

    [Fact]
    public void A_preferred_agent_who_is_not_a_member_is_noted_and_the_interaction_routed_normally()
    {
        var rig = new QueueRig();
        rig.Join(Agent("alice"));

        rig.Admit(Entry("i1", preferredAgent: "carol", preferredWait: PreferredWait));

        Assert.Contains(rig.Messenger.Notes, n => n is ("i1", RoutingEventType.PreferredAgentFallback, _));
        Assert.Equal("alice", rig.ProposedTo("i1"));
    }

    [Fact]
    public void An_interaction_waits_for_its_busy_preferred_agent_until_that_wait_ends()
    {
        var rig = new QueueRig();
        rig.Join(Agent("alice"));
        rig.Join(Agent("bob", presence: Presence.Away));

        Assert.False(rig.Admit(Entry("i1", preferredAgent: "bob", preferredWait: PreferredWait)));
        Assert.Empty(rig.Messenger.Proposals);
        rig.Room.TryGet("i1", out var reserved);
        Assert.Equal("bob", reserved.ReservedFor);

        rig.Advance(PreferredWait);

        Assert.Equal("alice", rig.ProposedTo("i1"));
        Assert.Contains(rig.Messenger.Notes, n => n is ("i1", RoutingEventType.PreferredAgentFallback, _));
    }

    [Fact]
    public void A_preferred_wait_already_over_on_arrival_routes_normally()
    {
        var rig = new QueueRig();
        rig.Join(Agent("alice"));
        rig.Join(Agent("bob", presence: Presence.Away));
        rig.Clock.Advance(PreferredWait);

        Assert.True(rig.Admit(Entry("i1", arrival: T0, preferredAgent: "bob", preferredWait: PreferredWait)));

        Assert.Equal("alice", rig.ProposedTo("i1"));
    }

    [Fact]
    public void A_relaxation_step_widens_the_demand_and_proposes_with_what_is_now_required()
    {
        var rig = new QueueRig(Config(relaxation: [new RelaxationStepConfig(TimeSpan.FromSeconds(60), "billing", null)]));
        rig.Join(Agent("alice"));
        Assert.False(rig.Admit(Entry("i1", required: [new RequirementConfig("billing", 5)])));

        rig.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal("alice", rig.ProposedTo("i1"));
        Assert.Empty(rig.Messenger.Proposals.Single().Proposal.Entry.RequiredSkills);
        Assert.Contains(rig.Messenger.Notes, n => n is ("i1", RoutingEventType.Relaxed, _) && n.Detail.Contains("none", StringComparison.Ordinal));
    }

    [Fact]
    public void A_relaxation_step_releases_the_agent_held_for_the_stricter_demand()
    {
        var rig = new QueueRig(Config(relaxation: [new RelaxationStepConfig(TimeSpan.FromSeconds(60), "billing", 3)]));
        rig.Join(Agent("alice", skills: Skills(("billing", 5)), load: Load("chat")));
        rig.Admit(Entry("v1", channel: "voice", required: [new RequirementConfig("billing", 5)]));
        Assert.Equal([("alice", "v1")], rig.Messenger.Holds);

        rig.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal([("alice", "v1")], rig.Messenger.Releases);
    }

    [Theory]
    [InlineData(OverflowMode.Instead, false)]
    [InlineData(OverflowMode.Also, true)]
    public void An_interaction_that_waited_long_enough_overflows(OverflowMode mode, bool stillWaitingHere)
    {
        var rig = new QueueRig(Config(overflow: new OverflowConfig("spare", TimeSpan.FromSeconds(30), mode)));
        rig.Admit(Entry("i1"));

        rig.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal([("i1", "spare", mode)], rig.Messenger.Overflows);
        Assert.Equal(stillWaitingHere, rig.Room.Contains("i1"));
    }

    [Fact]
    public void An_interaction_that_overflowed_from_here_does_not_overflow_again()
    {
        var rig = new QueueRig(Config(overflow: new OverflowConfig("spare", TimeSpan.FromSeconds(30), OverflowMode.Instead)));
        rig.Admit(Entry("i1", overflowedFrom: [QueueId]));

        rig.Advance(TimeSpan.FromSeconds(30));

        Assert.Empty(rig.Messenger.Overflows);
        Assert.Equal(0, rig.Timetable.Count);
    }

    [Fact]
    public void An_interaction_an_agent_is_answering_for_does_not_overflow()
    {
        var rig = new QueueRig(Config(overflow: new OverflowConfig("spare", TimeSpan.FromSeconds(3), OverflowMode.Instead)));
        rig.Join(Agent("alice"));
        rig.Admit(Entry("i1"));

        rig.Advance(TimeSpan.FromSeconds(3));

        Assert.Empty(rig.Messenger.Overflows);
        Assert.True(rig.Room.Contains("i1"));
    }

    [Fact]
    public void The_overflow_is_returned_for_the_queues_log()
    {
        var overflow = new OverflowConfig("spare", TimeSpan.FromSeconds(30), OverflowMode.Instead);
        var rig = new QueueRig(Config(overflow: overflow));
        rig.Admit(Entry("i1"));
        rig.Clock.Advance(TimeSpan.FromSeconds(30));

        Assert.True(rig.Timetable.TryTakeDue(rig.Now, out var work));

        Assert.Equal(overflow, rig.Planner.Run(work, rig.Now));
        Assert.Null(rig.Planner.Run(work, rig.Now));
    }

    private static System.Collections.Immutable.ImmutableDictionary<string, int> Load(string channel) =>
        System.Collections.Immutable.ImmutableDictionary<string, int>.Empty.Add(channel, 1);
}
