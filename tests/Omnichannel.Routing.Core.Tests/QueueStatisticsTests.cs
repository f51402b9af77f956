using CsCheck;
using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

public class QueueStatisticsTests
{
    private static readonly TimeSpan Twenty = TimeSpan.FromSeconds(20);

    // 60 s window in 60 buckets of 1 s, threshold 20 s; T0 is aligned to a bucket boundary.
    private static QueueStatistics Stats() => new(TimeSpan.FromSeconds(60), Twenty);

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public void Service_level_counts_answers_within_the_threshold_over_answers_and_long_abandons()
    {
        var stats = Stats();
        stats.Answered(Seconds(5), At(1));
        stats.Answered(Seconds(20), At(2)); // exactly at the threshold: within
        stats.Answered(Seconds(30), At(3));
        stats.Abandoned(Seconds(10), At(4)); // short abandon: not in the denominator
        stats.Abandoned(Seconds(40), At(5));

        var figures = stats.Figures(At(10));

        // 2 within ÷ (3 answered + 1 long abandon) = 50 %; average wait (5 + 20 + 30) / 3 = 18.33 s.
        Assert.Equal(3, figures.Answered);
        Assert.Equal(2, figures.AnsweredWithinThreshold);
        Assert.Equal(2, figures.Abandoned);
        Assert.Equal(1, figures.AbandonedAfterThreshold);
        Assert.Equal(50, figures.ServiceLevelPercent, 9);
        Assert.Equal(TimeSpan.FromTicks(Seconds(55).Ticks / 3), figures.AverageWait);
    }

    [Fact]
    public void An_empty_window_meets_its_service_level_and_has_no_wait()
    {
        var figures = Stats().Figures(T0);

        Assert.Equal(new QueueWindowFigures(0, 0, 0, 0, 0, TimeSpan.Zero, 100, 0, 0), figures);
    }

    [Fact]
    public void Short_abandons_alone_leave_the_service_level_at_100()
    {
        var stats = Stats();
        stats.Abandoned(Seconds(3), At(1));
        stats.Abandoned(Seconds(20), At(2));

        var figures = stats.Figures(At(5));

        Assert.Equal(2, figures.Abandoned);
        Assert.Equal(0, figures.AbandonedAfterThreshold);
        Assert.Equal(100, figures.ServiceLevelPercent);
    }

    [Fact]
    public void Rates_are_counts_in_the_window_per_second()
    {
        var stats = Stats();
        for (var i = 0; i < 12; i++)
        {
            stats.Arrived(At(i * 4));
            if (i % 2 == 0)
            {
                stats.Answered(Seconds(1), At((i * 4) + 1));
            }
        }

        var figures = stats.Figures(At(50));

        // 12 arrivals / 60 s = 0.2 per second; 6 answers / 60 s = 0.1 per second.
        Assert.Equal(12, figures.Arrived);
        Assert.Equal(0.2, figures.ArrivalsPerSecond, 12);
        Assert.Equal(0.1, figures.AnsweredPerSecond, 12);
    }

    [Fact]
    public void Events_older_than_the_window_no_longer_count()
    {
        var stats = Stats();
        stats.Answered(Seconds(30), At(0));
        stats.Answered(Seconds(10), At(50));

        // At 59 s both are in (−1, 59]: 1 of 2 within → 50 %. At 65 s only the 50 s one: 100 %.
        Assert.Equal(50, stats.Figures(At(59)).ServiceLevelPercent, 9);
        var at65 = stats.Figures(At(65));
        Assert.Equal(1, at65.Answered);
        Assert.Equal(100, at65.ServiceLevelPercent);
        Assert.Equal(Seconds(10), at65.AverageWait);
        Assert.Equal(0, stats.Figures(At(500)).Answered);
    }

    [Fact]
    public void A_reused_bucket_forgets_the_previous_lap()
    {
        var stats = Stats();
        stats.Arrived(At(0));
        stats.Arrived(At(0.5));
        stats.Arrived(At(61)); // 61 buckets of ring: the slot of 0 s comes round again one lap later

        Assert.Equal(1, stats.Figures(At(62)).Arrived);
    }

    [Fact]
    public void Events_after_now_are_not_counted()
    {
        var stats = Stats();
        stats.Arrived(At(30));

        Assert.Equal(0, stats.Figures(At(20)).Arrived);
    }

    [Fact]
    public void An_event_too_old_for_the_buckets_is_dropped_without_disturbing_newer_ones()
    {
        var stats = Stats();
        stats.Arrived(At(61));
        stats.Arrived(At(0)); // same slot as 61 s, a lap earlier: reported far too late

        Assert.Equal(1, stats.Figures(At(62)).Arrived);
    }

    [Fact]
    public void A_window_that_is_not_a_whole_number_of_buckets_keeps_its_oldest_bucket()
    {
        // Window 10 ticks in 3 buckets of ⌊10/3⌋ = 3 ticks. At now = base + 9 the window (base − 1, base + 9] holds
        // the buckets starting at base + 0, 3, 6 and 9: four of them, so the one at base + 0 must not share a slot
        // with the one at base + 9.
        var stats = new QueueStatistics(TimeSpan.FromTicks(10), Twenty, buckets: 3);
        var origin = new DateTimeOffset(T0.UtcTicks / 3 * 3, TimeSpan.Zero);
        stats.Arrived(origin);
        stats.Arrived(origin.AddTicks(9));

        Assert.Equal(2, stats.Figures(origin.AddTicks(9)).Arrived);
    }

    [Fact]
    public void A_changed_threshold_applies_only_to_what_is_recorded_afterwards()
    {
        var stats = Stats();
        stats.Answered(Seconds(15), At(1)); // within 20 s
        stats.ChangeThreshold(Seconds(10));
        stats.Answered(Seconds(15), At(2)); // not within 10 s
        stats.Abandoned(Seconds(15), At(3)); // after 10 s: counted

        var figures = stats.Figures(At(5));

        // 1 within ÷ (2 answered + 1 long abandon) = 33.33 %.
        Assert.Equal(Seconds(10), stats.ServiceLevelThreshold);
        Assert.Equal(1, figures.AnsweredWithinThreshold);
        Assert.Equal(1, figures.AbandonedAfterThreshold);
        Assert.Equal(100.0 / 3, figures.ServiceLevelPercent, 9);
    }

    [Fact]
    public void Invalid_settings_and_waits_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueStatistics(TimeSpan.Zero, Twenty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueStatistics(Seconds(60), Twenty, buckets: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueStatistics(Seconds(60), Seconds(-1)));
        var stats = Stats();
        Assert.Throws<ArgumentOutOfRangeException>(() => stats.ChangeThreshold(Seconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => stats.Answered(Seconds(-1), T0));
        Assert.Throws<ArgumentOutOfRangeException>(() => stats.Abandoned(Seconds(-1), T0));
    }

    private sealed record Event(int Kind, int AfterMilliseconds, int WaitedSeconds);

    /// <summary>
    /// Against a plain list of every event: whatever the window and bucket count (including windows that are not a
    /// whole number of buckets), the figures count exactly the events whose bucket starts in (now − window, now].
    /// </summary>
    [Fact]
    public void Figures_match_a_recount_of_every_event_in_the_window()
    {
        var genEvent = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 20_000], Gen.Int[0, 60]).Select((k, ms, w) => new Event(k, ms, w));
        Gen.Select(Gen.Int[1, 120], Gen.Int[2, 12], genEvent.Array[0, 60], Gen.Int[0, 30_000]).Sample((windowSeconds, buckets, events, tailMs) =>
        {
            var window = Seconds(windowSeconds);
            var stats = new QueueStatistics(window, Twenty, buckets);
            var bucketTicks = window.Ticks / buckets;
            var recorded = new List<(long At, Event E)>();
            var clock = T0;
            foreach (var e in events)
            {
                clock = clock.AddMilliseconds(e.AfterMilliseconds);
                switch (e.Kind)
                {
                    case 0: stats.Arrived(clock); break;
                    case 1: stats.Answered(Seconds(e.WaitedSeconds), clock); break;
                    default: stats.Abandoned(Seconds(e.WaitedSeconds), clock); break;
                }

                recorded.Add((clock.UtcTicks, e));
            }

            var now = clock.AddMilliseconds(tailMs);
            var inWindow = recorded
                .Where(r => r.At / bucketTicks * bucketTicks is var start && start > now.UtcTicks - window.Ticks && start <= now.UtcTicks)
                .Select(r => r.E)
                .ToList();
            var answered = inWindow.Where(e => e.Kind == 1).ToList();
            var abandoned = inWindow.Where(e => e.Kind == 2).ToList();
            var within = answered.Count(e => e.WaitedSeconds <= 20);
            var longAbandons = abandoned.Count(e => e.WaitedSeconds > 20);

            var figures = stats.Figures(now);

            Assert.Equal(inWindow.Count(e => e.Kind == 0), figures.Arrived);
            Assert.Equal(answered.Count, figures.Answered);
            Assert.Equal(within, figures.AnsweredWithinThreshold);
            Assert.Equal(abandoned.Count, figures.Abandoned);
            Assert.Equal(longAbandons, figures.AbandonedAfterThreshold);
            Assert.Equal(answered.Count + longAbandons > 0 ? 100.0 * within / (answered.Count + longAbandons) : 100, figures.ServiceLevelPercent, 9);
            Assert.Equal(answered.Count > 0 ? TimeSpan.FromTicks(answered.Sum(e => Seconds(e.WaitedSeconds).Ticks) / answered.Count) : TimeSpan.Zero, figures.AverageWait);
        });
    }
}
