using Omnichannel.Routing.Core;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class AgentRecordTests
{
    [Fact]
    public void A_presence_change_restarts_presence_since_but_the_same_presence_does_not()
    {
        var record = SignedInAvailable();
        record.ChangePresence(Presence.Away, At(10));
        record.ChangePresence(Presence.Away, At(20));

        Assert.Equal(Presence.Away, record.Presence);
        Assert.Equal(At(10), record.PresenceSince);
        Assert.Equal(T0, record.IdleSince);
        Assert.False(record.IsReady);
    }

    [Fact]
    public void Becoming_available_restarts_the_idle_time_and_ends_not_responding()
    {
        var record = SignedInAvailable();
        record.ChangePresence(Presence.Away, At(10));

        record.ChangePresence(Presence.Available, At(20));

        Assert.Equal(At(20), record.IdleSince);
        Assert.True(record.IsReady);
    }

    [Fact]
    public void Setting_available_again_after_not_responding_makes_the_agent_ready()
    {
        var record = SignedInAvailable();
        record.NotResponding = true;
        Assert.False(record.IsReady);

        record.ChangePresence(Presence.Available, At(30));

        Assert.False(record.NotResponding);
        Assert.Equal(At(30), record.IdleSince);
        Assert.Equal(T0, record.PresenceSince);
        Assert.True(record.IsReady);
    }

    [Fact]
    public void Setting_available_while_available_keeps_the_idle_time()
    {
        var record = SignedInAvailable();

        record.ChangePresence(Presence.Available, At(30));

        Assert.Equal(T0, record.IdleSince);
    }

    [Fact]
    public void A_ready_agent_is_held_for_one_interaction_of_its_own_queues_at_a_time()
    {
        var record = SignedInAvailable("sales");

        Assert.False(record.TryHold("billing", "v1"));
        Assert.True(record.TryHold("sales", "v1"));
        Assert.False(record.TryHold("sales", "v2"));
        Assert.Equal(new HoldRecord("sales", "v1"), record.Hold);
    }

    [Fact]
    public void An_agent_that_is_not_ready_is_not_held()
    {
        var record = SignedInAvailable("sales");
        record.ChangePresence(Presence.Away, At(1));

        Assert.False(record.TryHold("sales", "v1"));
        Assert.Null(record.Hold);
    }

    [Fact]
    public void A_hold_is_released_only_for_its_own_interaction()
    {
        var record = SignedInAvailable("sales");
        record.TryHold("sales", "v1");

        Assert.False(record.ReleaseHoldFor("v2"));
        Assert.NotNull(record.Hold);
        Assert.True(record.ReleaseHoldFor("v1"));
        Assert.Null(record.Hold);
    }

    [Fact]
    public void Taking_the_hold_ends_it_and_answers_it_once()
    {
        var record = SignedInAvailable("sales");
        record.TryHold("sales", "v1");

        Assert.Equal(new HoldRecord("sales", "v1"), record.TakeHold());
        Assert.Null(record.TakeHold());
    }
}
