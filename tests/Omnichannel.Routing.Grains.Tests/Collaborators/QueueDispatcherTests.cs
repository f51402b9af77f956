using System.Collections.Immutable;
using Omnichannel.Routing.Core;
using static Omnichannel.Routing.Grains.Tests.Collaborators.QueueTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class QueueDispatcherTests
{
    private readonly QueueRig _rig = new();

    [Fact]
    public void An_arrival_is_proposed_to_a_ready_member()
    {
        _rig.Join(Agent("alice"));

        Assert.True(_rig.Admit(Entry("i1")));

        Assert.Equal("alice", _rig.ProposedTo("i1"));
        Assert.True(_rig.Dispatcher.Proposals.IsProposedTo("i1", "alice"));
        Assert.Equal(QueueId, _rig.Messenger.Proposals.Single().Proposal.QueueId);
    }

    [Fact]
    public void An_arrival_no_member_is_ready_for_waits()
    {
        _rig.Join(Agent("alice", presence: Presence.Away));

        Assert.False(_rig.Admit(Entry("i1")));

        Assert.Empty(_rig.Messenger.Proposals);
        Assert.True(_rig.Room.Contains("i1"));
    }

    [Fact]
    public void An_agent_becoming_ready_gets_the_oldest_interaction_not_the_one_that_triggered_the_dispatch()
    {
        _rig.Join(Agent("alice", presence: Presence.Away));
        _rig.Admit(Entry("older", arrival: T0));
        _rig.Admit(Entry("newer", arrival: T0.AddSeconds(1)));
        _rig.Roster.Upsert(Agent("alice", version: 2), out _);
        _rig.Room.TryGet("newer", out var newer);

        Assert.False(_rig.Dispatcher.TryDispatch(newer));

        Assert.Equal("alice", _rig.ProposedTo("older"));
        Assert.Null(_rig.ProposedTo("newer"));
    }

    [Fact]
    public void A_declining_agent_is_passed_over_and_the_next_one_is_proposed()
    {
        _rig.Join(Agent("alice", idleSince: T0.AddMinutes(-10)));
        _rig.Join(Agent("bob", idleSince: T0.AddMinutes(-5)));
        _rig.Admit(Entry("i1"));
        var proposal = _rig.Messenger.Proposals.Single().Proposal;

        _rig.Dispatcher.Declined(Agent("alice"), "i1", proposal.ProposalId);

        Assert.Equal("bob", _rig.ProposedTo("i1"));
        Assert.True(_rig.Dispatcher.Declines.PassesOver("i1", "alice", _rig.Roster.VersionOf("alice")));
    }

    [Fact]
    public void A_decline_quoting_an_earlier_proposal_changes_nothing()
    {
        _rig.Join(Agent("alice", idleSince: T0.AddMinutes(-10)));
        _rig.Join(Agent("bob", idleSince: T0.AddMinutes(-5)));
        _rig.Admit(Entry("i1"));
        var proposal = _rig.Messenger.Proposals.Single().Proposal;

        _rig.Dispatcher.Declined(Agent("alice"), "i1", proposal.ProposalId + 1);

        Assert.Single(_rig.Messenger.Proposals);
        Assert.True(_rig.Dispatcher.Proposals.IsCurrent("i1", proposal.ProposalId));
    }

    [Fact]
    public void A_proposal_left_unanswered_is_made_again_after_the_timeout()
    {
        _rig.Join(Agent("alice"));
        _rig.Admit(Entry("i1"));
        var first = _rig.Messenger.Proposals.Single().Proposal.ProposalId;

        _rig.Advance(QueueRig.ProposalTimeout);

        Assert.Equal(2, _rig.Messenger.Proposals.Count);
        Assert.False(_rig.Dispatcher.Proposals.IsCurrent("i1", first));
    }

    [Fact]
    public void The_timeout_of_an_interaction_already_claimed_does_nothing()
    {
        _rig.Join(Agent("alice"));
        _rig.Admit(Entry("i1"));

        Assert.NotNull(_rig.Dispatcher.Remove("i1"));
        _rig.Advance(QueueRig.ProposalTimeout);

        Assert.Single(_rig.Messenger.Proposals);
        Assert.False(_rig.Dispatcher.Proposals.IsAwaiting("alice"));
    }

    [Fact]
    public void An_exclusive_interaction_no_one_can_take_holds_an_agent_busy_elsewhere_and_leaving_releases_it_once()
    {
        _rig.Join(Agent("alice", load: Load(("chat", 1))));

        Assert.False(_rig.Admit(Entry("v1", channel: "voice")));

        Assert.Equal([("alice", "v1")], _rig.Messenger.Holds);
        Assert.Contains(_rig.Messenger.Notes, n => n is ("v1", RoutingEventType.AgentHeld, _));

        _rig.Dispatcher.Remove("v1");
        _rig.Dispatcher.Remove("v1");

        Assert.Equal([("alice", "v1")], _rig.Messenger.Releases);
        Assert.Equal(0, _rig.Dispatcher.Holds.Count);
    }

    [Fact]
    public void An_agent_that_refuses_a_hold_is_not_held_again_for_that_interaction()
    {
        _rig.Join(Agent("alice", load: Load(("chat", 1))));
        _rig.Admit(Entry("v1", channel: "voice"));

        _rig.Dispatcher.HoldRefused(Agent("alice", load: Load(("chat", 1))), "v1");

        Assert.Single(_rig.Messenger.Holds);
        Assert.Empty(_rig.Messenger.Releases);
        Assert.False(_rig.Dispatcher.Holds.IsHolding("alice"));
    }

    [Fact]
    public void A_member_that_leaves_hands_its_proposal_to_another()
    {
        _rig.Join(Agent("alice", idleSince: T0.AddMinutes(-10)));
        _rig.Join(Agent("bob", idleSince: T0.AddMinutes(-5)));
        _rig.Admit(Entry("i1"));

        _rig.Dispatcher.MemberLeft("alice");

        Assert.Equal("bob", _rig.ProposedTo("i1"));
        Assert.Null(_rig.Roster.Pool.Get("alice"));
    }

    [Fact]
    public void A_member_that_signs_out_loses_its_proposal_to_another()
    {
        _rig.Join(Agent("alice", idleSince: T0.AddMinutes(-10)));
        _rig.Join(Agent("bob", idleSince: T0.AddMinutes(-5)));
        _rig.Admit(Entry("i1"));

        var availability = _rig.Dispatcher.TakeSnapshot(Agent("alice", version: 2, signedIn: false), out var fresh);

        Assert.True(fresh);
        Assert.False(availability!.SignedIn);
        Assert.Equal("bob", _rig.ProposedTo("i1"));
    }

    [Fact]
    public void A_stale_snapshot_of_a_signed_out_member_changes_nothing()
    {
        _rig.Join(Agent("alice", version: 3));
        _rig.Admit(Entry("i1"));

        _rig.Dispatcher.TakeSnapshot(Agent("alice", version: 2, signedIn: false), out var fresh);

        Assert.False(fresh);
        Assert.True(_rig.Dispatcher.Proposals.IsProposedTo("i1", "alice"));
    }

    [Fact]
    public void A_member_no_longer_ready_loses_its_proposal_at_once()
    {
        _rig.Join(Agent("alice", idleSince: T0.AddMinutes(-10)));
        _rig.Join(Agent("bob", idleSince: T0.AddMinutes(-5)));
        _rig.Admit(Entry("i1"));
        var before = _rig.Roster.SnapshotOf("alice");

        var away = _rig.Roster.Upsert(Agent("alice", version: 2, presence: Presence.Away), out _);
        _rig.Dispatcher.MemberChanged("alice", before, away);

        Assert.Equal("bob", _rig.ProposedTo("i1"));
    }

    [Fact]
    public void A_held_member_whose_hold_ended_frees_the_interaction_for_another_try()
    {
        _rig.Join(Agent("alice", load: Load(("chat", 1))));
        _rig.Admit(Entry("v1", channel: "voice"));
        var held = _rig.Roster.Upsert(Agent("alice", version: 2, load: Load(("chat", 1)), heldFor: "v1"), out _);
        _rig.Dispatcher.MemberChanged("alice", _rig.Roster.SnapshotOf("alice"), held);
        var before = _rig.Roster.SnapshotOf("alice");

        var free = _rig.Roster.Upsert(Agent("alice", version: 3), out _);
        _rig.Dispatcher.MemberChanged("alice", before, free);

        Assert.Equal("alice", _rig.ProposedTo("v1"));
        Assert.False(_rig.Dispatcher.Holds.IsHeldFor("v1"));
    }

    [Fact]
    public void A_claim_is_refused_when_promised_to_another_reserved_or_rejected_before()
    {
        _rig.Join(Agent("alice"));
        _rig.Admit(Entry("proposed"));
        _rig.Admit(Entry("rejected", excluded: ["bob"]));
        _rig.Room.TryGet("proposed", out var proposed);
        _rig.Room.TryGet("rejected", out var rejected);

        Assert.Equal("proposed to another agent", _rig.Dispatcher.ClaimRefusal(proposed, "bob"));
        Assert.Null(_rig.Dispatcher.ClaimRefusal(proposed, "alice"));
        Assert.Equal("rejected by this agent before", _rig.Dispatcher.ClaimRefusal(rejected, "bob"));
        Assert.Equal("waiting for its preferred agent", _rig.Dispatcher.ClaimRefusal(rejected with { ReservedFor = "carol" }, "alice"));
    }

    [Fact]
    public void The_sweep_offers_what_waits_once_an_agent_is_ready()
    {
        _rig.Join(Agent("alice", presence: Presence.Away));
        _rig.Admit(Entry("i1"));
        _rig.Roster.Upsert(Agent("alice", version: 2), out _);

        _rig.Dispatcher.Sweep(32);

        Assert.Equal("alice", _rig.ProposedTo("i1"));
    }

    [Fact]
    public void The_oldest_waiting_leave_out_what_an_agent_is_answering_for()
    {
        _rig.Join(Agent("alice"));
        _rig.Admit(Entry("i1", arrival: T0));
        _rig.Admit(Entry("i2", arrival: T0.AddSeconds(1)));
        _rig.Admit(Entry("v3", channel: "voice", arrival: T0.AddSeconds(2)));

        Assert.Equal(["i2", "v3"], _rig.Dispatcher.OldestUnproposed(10, []).ToArray());
        Assert.Equal(["v3"], _rig.Dispatcher.OldestUnproposed(10, ["voice"]).ToArray());
        Assert.Equal(["i2"], _rig.Dispatcher.OldestUnproposed(1, []).ToArray());
    }

    [Fact]
    public void The_best_for_an_agent_leaves_out_what_is_promised_to_another()
    {
        var alice = _rig.Join(Agent("alice"));
        _rig.Admit(Entry("i1", arrival: T0));
        var bob = _rig.Join(Agent("bob"));
        _rig.Admit(Entry("i2", arrival: T0.AddSeconds(1)));

        Assert.Equal("i2", _rig.Dispatcher.BestFor(bob)!.InteractionId);
        Assert.Equal("i1", _rig.Dispatcher.BestFor(alice)!.InteractionId);
    }

    private static ImmutableDictionary<string, int> Load(params (string Channel, int Count)[] load) =>
        load.ToImmutableDictionary(l => l.Channel, l => l.Count, StringComparer.Ordinal);
}
