using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

public class InteractionSelectionTests
{
    // Queue "slow" does not age; queue "fast" ages 1 point per second.
    private static readonly QueueCandidate Vip = new("slow", "vip", 100, 0.0, At(10), 1);
    private static readonly QueueCandidate Old = new("fast", "old", 0, 1.0, T0, 1);

    [Fact]
    public void Highest_effective_priority_wins_across_queues()
    {
        // At 50 s: vip 100, old 50.
        Assert.Equal("vip", InteractionSelection.Best([Vip, Old], At(50))?.InteractionId);
    }

    [Fact]
    public void Aging_lets_an_old_low_priority_interaction_of_a_faster_aging_queue_overtake()
    {
        // At 101 s: vip 100, old 101.
        Assert.Equal("old", InteractionSelection.Best([Vip, Old], At(101))?.InteractionId);
    }

    [Fact]
    public void Equal_effective_priority_goes_to_the_earliest_arrival()
    {
        // At 100 s both are at 100; old arrived at 0 s, vip at 10 s.
        Assert.Equal("old", InteractionSelection.Best([Vip, Old], At(100))?.InteractionId);
        Assert.Equal("old", InteractionSelection.Best([Old, Vip], At(100))?.InteractionId);
    }

    [Fact]
    public void Equal_priority_and_arrival_break_by_queue_id_then_sequence()
    {
        var a7 = new QueueCandidate("a", "a7", 5, 1.0, T0, 7);
        var a3 = new QueueCandidate("a", "a3", 5, 1.0, T0, 3);
        var b1 = new QueueCandidate("b", "b1", 5, 1.0, T0, 1);

        Assert.Equal("a3", InteractionSelection.Best([b1, a7, a3], At(5))?.InteractionId);
        Assert.Equal("a7", InteractionSelection.Best([b1, a7], At(5))?.InteractionId);
    }

    [Fact]
    public void Different_aging_rates_are_compared_at_the_given_now()
    {
        var slowHigh = new QueueCandidate("q1", "slow-high", 30, 0.5, T0, 1);
        var fastLow = new QueueCandidate("q2", "fast-low", 10, 2.0, T0, 1);

        // slow-high: 30 + 0.5 t; fast-low: 10 + 2 t; they cross at t = 13.33 s.
        Assert.Equal("slow-high", InteractionSelection.Best([slowHigh, fastLow], At(13))?.InteractionId);
        Assert.Equal("fast-low", InteractionSelection.Best([slowHigh, fastLow], At(14))?.InteractionId);
    }

    [Fact]
    public void No_candidate_gives_null()
    {
        Assert.Null(InteractionSelection.Best([], T0));
    }
}
