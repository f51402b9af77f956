namespace Omnichannel.Routing.Core.Tests;

public class InteractionLifecycleTests
{
    [Theory]
    [InlineData(InteractionState.Queued, InteractionState.Offered)]
    [InlineData(InteractionState.Offered, InteractionState.Connected)]
    [InlineData(InteractionState.Connected, InteractionState.WrapUp)]
    [InlineData(InteractionState.WrapUp, InteractionState.Completed)]
    public void Main_path_moves_are_allowed(InteractionState from, InteractionState to)
    {
        Assert.True(InteractionLifecycle.CanMove(from, to));
    }

    [Theory]
    [InlineData(InteractionState.Queued)]
    [InlineData(InteractionState.Offered)]
    public void Queued_or_offered_interaction_can_be_abandoned(InteractionState from)
    {
        Assert.True(InteractionLifecycle.CanMove(from, InteractionState.Abandoned));
    }

    [Theory]
    [InlineData(InteractionState.Connected)]
    [InlineData(InteractionState.WrapUp)]
    public void Connected_or_wrapping_interaction_cannot_be_abandoned(InteractionState from)
    {
        Assert.False(InteractionLifecycle.CanMove(from, InteractionState.Abandoned));
    }

    [Fact]
    public void Offer_returns_to_the_queue_on_reject_timeout_or_sign_out()
    {
        Assert.True(InteractionLifecycle.CanMove(InteractionState.Offered, InteractionState.Queued));
    }

    [Fact]
    public void Connected_interaction_can_be_transferred_to_a_queue_or_an_agent()
    {
        Assert.True(InteractionLifecycle.CanMove(InteractionState.Connected, InteractionState.Queued));
        Assert.True(InteractionLifecycle.CanMove(InteractionState.Connected, InteractionState.Offered));
    }

    [Fact]
    public void Ended_interactions_never_move_again()
    {
        foreach (var ended in new[] { InteractionState.Completed, InteractionState.Abandoned })
        {
            Assert.True(InteractionLifecycle.IsEnded(ended));
            foreach (var to in Enum.GetValues<InteractionState>())
            {
                Assert.False(InteractionLifecycle.CanMove(ended, to), $"{ended} -> {to}");
            }
        }
    }

    [Fact]
    public void No_shortcut_skips_a_phase()
    {
        Assert.False(InteractionLifecycle.CanMove(InteractionState.Queued, InteractionState.Connected));
        Assert.False(InteractionLifecycle.CanMove(InteractionState.Queued, InteractionState.Completed));
        Assert.False(InteractionLifecycle.CanMove(InteractionState.Offered, InteractionState.Completed));
        Assert.False(InteractionLifecycle.CanMove(InteractionState.Connected, InteractionState.Completed));
        Assert.False(InteractionLifecycle.CanMove(InteractionState.WrapUp, InteractionState.Queued));
        Assert.False(InteractionLifecycle.IsEnded(InteractionState.WrapUp));
    }
}
