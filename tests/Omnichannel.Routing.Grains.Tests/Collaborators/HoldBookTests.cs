using Omnichannel.Routing.Grains.Queues;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class HoldBookTests
{
    private readonly HoldBook _holds = new();

    [Fact]
    public void A_hold_links_the_interaction_and_the_agent_both_ways()
    {
        _holds.Hold("i1", "alice");

        Assert.True(_holds.IsHeldFor("i1"));
        Assert.True(_holds.IsHolding("alice"));
        Assert.True(_holds.IsHeldBy("i1", "alice"));
        Assert.False(_holds.IsHeldBy("i1", "bob"));
    }

    [Fact]
    public void Releasing_the_interaction_names_the_agent_and_frees_it()
    {
        _holds.Hold("i1", "alice");

        Assert.True(_holds.Release("i1", out var agentId));

        Assert.Equal("alice", agentId);
        Assert.False(_holds.IsHolding("alice"));
        Assert.False(_holds.IsHeldFor("i1"));
        Assert.False(_holds.Release("i1", out _));
    }

    [Fact]
    public void Releasing_the_agent_names_the_interaction_and_frees_it()
    {
        _holds.Hold("i1", "alice");

        Assert.True(_holds.ReleaseAgent("alice", out var interactionId));

        Assert.Equal("i1", interactionId);
        Assert.False(_holds.IsHeldFor("i1"));
        Assert.Equal(0, _holds.Count);
    }

    [Fact]
    public void A_new_hold_replaces_what_either_side_held_before()
    {
        _holds.Hold("i1", "alice");
        _holds.Hold("i2", "bob");

        _holds.Hold("i1", "bob");

        Assert.True(_holds.IsHeldBy("i1", "bob"));
        Assert.False(_holds.IsHolding("alice"));
        Assert.False(_holds.IsHeldFor("i2"));
        Assert.Equal(1, _holds.Count);
    }
}
