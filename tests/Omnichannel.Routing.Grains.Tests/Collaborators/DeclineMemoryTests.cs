using Omnichannel.Routing.Grains.Queues;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class DeclineMemoryTests
{
    private readonly DeclineMemory _declines = new();

    [Fact]
    public void An_agent_that_declined_is_passed_over_until_its_state_changes()
    {
        _declines.Remember("i1", "alice", agentVersion: 4);

        Assert.True(_declines.PassesOver("i1", "alice", currentVersion: 4));
        Assert.False(_declines.PassesOver("i1", "alice", currentVersion: 5));
    }

    [Fact]
    public void A_decline_counts_only_for_that_interaction_and_that_agent()
    {
        _declines.Remember("i1", "alice", agentVersion: 4);

        Assert.False(_declines.PassesOver("i2", "alice", currentVersion: 4));
        Assert.False(_declines.PassesOver("i1", "bob", currentVersion: 4));
    }

    [Fact]
    public void An_agent_whose_state_the_queue_does_not_know_is_not_passed_over()
    {
        _declines.Remember("i1", "alice", agentVersion: 4);

        Assert.False(_declines.PassesOver("i1", "alice", currentVersion: null));
    }

    [Fact]
    public void An_interaction_that_left_takes_its_declines_with_it()
    {
        _declines.Remember("i1", "alice", agentVersion: 4);

        _declines.Forget("i1");

        Assert.False(_declines.PassesOver("i1", "alice", currentVersion: 4));
    }
}
