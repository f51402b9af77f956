using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Queues;
using static Omnichannel.Routing.Grains.Tests.Collaborators.QueueTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class MemberRosterTests
{
    private readonly MemberRoster _roster = new(SelectionPolicy.LongestIdle);

    [Fact]
    public void A_snapshot_becomes_the_members_availability_in_the_pool()
    {
        var availability = _roster.Upsert(Agent("alice", version: 3, skills: Skills(("billing", 5))), out var fresh);

        Assert.True(fresh);
        Assert.NotNull(availability);
        Assert.True(availability.IsReady);
        Assert.Equal(3, availability.Version);
        Assert.Same(availability, _roster.Pool.Get("alice"));
        Assert.Equal(3, _roster.VersionOf("alice"));
    }

    [Fact]
    public void An_older_snapshot_does_not_replace_a_newer_one()
    {
        _roster.Upsert(Agent("alice", version: 3), out _);

        var availability = _roster.Upsert(Agent("alice", version: 2, presence: Presence.Away), out var fresh);

        Assert.False(fresh);
        Assert.Equal(3, availability!.Version);
        Assert.True(_roster.Pool.Get("alice")!.IsReady);
        Assert.Equal(3, _roster.SnapshotOf("alice")!.Version);
    }

    [Fact]
    public void Parsed_capacity_and_skills_are_reused_while_the_agent_sends_the_same_ones()
    {
        var skills = Skills(("billing", 5));
        var first = _roster.Upsert(Agent("alice", version: 1, skills: skills), out _)!;

        var second = _roster.Upsert(Agent("alice", version: 2, skills: skills, presence: Presence.Away), out _)!;
        var third = _roster.Upsert(Agent("alice", version: 3, skills: Skills(("billing", 7))), out _)!;

        Assert.Same(first.Profile, second.Profile);
        Assert.Same(first.Skills, second.Skills);
        Assert.NotSame(second.Skills, third.Skills);
    }

    [Fact]
    public void A_new_policy_keeps_every_member()
    {
        _roster.Upsert(Agent("alice"), out _);
        _roster.Upsert(Agent("bob", presence: Presence.Away), out _);

        _roster.UsePolicy(SelectionPolicy.LeastOccupied);

        Assert.Equal(SelectionPolicy.LeastOccupied, _roster.Pool.Policy);
        Assert.Equal(2, _roster.Pool.Count);
        Assert.Equal(1, _roster.Pool.ReadyCount);
    }

    [Fact]
    public void A_forgotten_member_leaves_the_pool_and_its_state_is_unknown()
    {
        _roster.Upsert(Agent("alice"), out _);

        _roster.Forget("alice");

        Assert.Null(_roster.Pool.Get("alice"));
        Assert.Null(_roster.SnapshotOf("alice"));
        Assert.Null(_roster.VersionOf("alice"));
    }
}
