using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

public class ServiceRateTests
{
    // 60 s window in 30 buckets of 2 s; T0 is aligned to a bucket boundary.
    private static ServiceRate Rate() => new(TimeSpan.FromSeconds(60));

    [Fact]
    public void Rate_is_departures_in_the_window_per_second()
    {
        var rate = Rate();
        for (var i = 0; i < 6; i++)
        {
            rate.RecordDeparture(At(i));
        }

        Assert.Equal(0.1, rate.PerSecond(At(10)), 10);
    }

    [Fact]
    public void No_departures_gives_zero()
    {
        Assert.Equal(0, Rate().PerSecond(T0));
    }

    [Fact]
    public void Departures_older_than_the_window_no_longer_count()
    {
        var rate = Rate();
        rate.RecordDeparture(At(0));
        rate.RecordDeparture(At(50));

        Assert.Equal(2 / 60.0, rate.PerSecond(At(59)), 10);
        Assert.Equal(1 / 60.0, rate.PerSecond(At(65)), 10);
        Assert.Equal(0, rate.PerSecond(At(200)));
    }

    [Fact]
    public void Reused_bucket_forgets_the_departures_of_the_previous_lap()
    {
        var rate = Rate();
        rate.RecordDeparture(At(0));
        rate.RecordDeparture(At(1));
        rate.RecordDeparture(At(60)); // same slot as 0 s, one window later

        Assert.Equal(1 / 60.0, rate.PerSecond(At(61)), 10);
    }

    [Fact]
    public void Departures_after_now_are_not_counted()
    {
        var rate = Rate();
        rate.RecordDeparture(At(30));

        Assert.Equal(0, rate.PerSecond(At(20)));
    }

    [Fact]
    public void Invalid_windows_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceRate(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceRate(TimeSpan.FromSeconds(10), buckets: 1));
    }

    [Fact]
    public void Wait_estimate_is_position_divided_by_service_rate()
    {
        Assert.Equal(TimeSpan.FromSeconds(20), WaitEstimate.For(position: 10, servedPerSecond: 0.5, readyAgents: 0));
        Assert.Equal(TimeSpan.FromSeconds(3.3), WaitEstimate.For(position: 1, servedPerSecond: 0.3, readyAgents: 3));
    }

    [Fact]
    public void Wait_estimate_follows_the_recorded_service_rate()
    {
        var rate = Rate();
        for (var i = 0; i < 12; i++)
        {
            rate.RecordDeparture(At(i * 4)); // 12 per minute
        }

        Assert.Equal(TimeSpan.FromSeconds(25), WaitEstimate.For(5, rate.PerSecond(At(50)), readyAgents: 0));
    }

    [Fact]
    public void Wait_estimate_is_zero_at_the_head_or_when_agents_are_ready_without_history()
    {
        Assert.Equal(TimeSpan.Zero, WaitEstimate.For(0, 0, 0));
        Assert.Equal(TimeSpan.Zero, WaitEstimate.For(4, 0, readyAgents: 2));
    }

    [Fact]
    public void Wait_estimate_is_unknown_without_service_history_or_ready_agents()
    {
        Assert.Null(WaitEstimate.For(4, 0, readyAgents: 0));
    }
}
