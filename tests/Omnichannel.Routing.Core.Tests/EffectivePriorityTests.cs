using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

public class EffectivePriorityTests
{
    [Fact]
    public void Effective_priority_is_base_plus_seconds_waited_times_aging_rate()
    {
        Assert.Equal(10, EffectivePriority.At(10, 1.0, T0, T0));
        Assert.Equal(40, EffectivePriority.At(10, 1.0, T0, At(30)));
        Assert.Equal(25, EffectivePriority.At(10, 0.5, T0, At(30)));
        Assert.Equal(10, EffectivePriority.At(10, 0.0, T0, At(3600)));
    }

    [Fact]
    public void Clock_before_arrival_adds_no_negative_aging()
    {
        Assert.Equal(10, EffectivePriority.At(10, 1.0, At(30), T0));
    }

    [Fact]
    public void Old_low_priority_interaction_overtakes_a_newer_high_priority_one_after_enough_wait()
    {
        // Base 0 arrived at 0 s; base 50 arrives at 30 s. Aging rate 1/s.
        double Old(double now) => EffectivePriority.At(0, 1.0, T0, At(now));
        double New(double now) => EffectivePriority.At(50, 1.0, At(30), At(now));

        Assert.True(New(30) > Old(30));   // 50 vs 30
        Assert.True(New(79) > Old(79));   // 99 vs 79: aging is equal from now on, the newcomer stays ahead...
        // ...but a newcomer of base 50 that arrives after the old one waited 60 s is behind it.
        Assert.True(EffectivePriority.At(50, 1.0, At(60), At(60)) < Old(60));
    }

    [Fact]
    public void Ordering_key_sorts_like_effective_priority_at_every_instant()
    {
        var items = new (int Base, double Arrival)[] { (0, 0), (50, 30), (20, 5), (100, 200), (-10, -40) };
        var byKey = items.OrderByDescending(i => EffectivePriority.OrderingKey(i.Base, 0.7, At(i.Arrival))).ToArray();

        foreach (var now in new[] { 200.0, 500.0, 10_000.0 })
        {
            var byPriority = items.OrderByDescending(i => EffectivePriority.At(i.Base, 0.7, At(i.Arrival), At(now))).ToArray();
            Assert.Equal(byPriority, byKey);
        }
    }
}
