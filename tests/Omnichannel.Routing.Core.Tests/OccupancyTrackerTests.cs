using CsCheck;
using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

public class OccupancyTrackerTests
{
    // T0 is 09:00 UTC, far from midnight; these helpers keep the state changes readable.
    private static void SignInIdle(OccupancyTracker t, double s) => t.Observe(At(s), true, Presence.Available, AgentActivity.Idle, occupied: false);

    private static void Busy(OccupancyTracker t, double s) => t.Observe(At(s), true, Presence.Available, AgentActivity.Busy, occupied: true);

    private static void WrapUp(OccupancyTracker t, double s) => t.Observe(At(s), true, Presence.Available, AgentActivity.WrapUp, occupied: true);

    private static void SignOut(OccupancyTracker t, double s) => t.Observe(At(s), false, Presence.Offline, AgentActivity.SignedOut, occupied: false);

    [Fact]
    public void A_new_tracker_counts_signed_out_time_and_no_occupancy()
    {
        var figures = new OccupancyTracker(T0).Figures(At(60));

        Assert.Equal(TimeSpan.FromSeconds(60), figures.PresenceTime[Presence.Offline]);
        Assert.Equal(TimeSpan.Zero, figures.PresenceTime[Presence.Available]);
        Assert.Equal(TimeSpan.FromSeconds(60), figures.ActivityTime[AgentActivity.SignedOut]);
        Assert.Equal(0, figures.OccupancyPercentRecent);
        Assert.Equal(0, figures.OccupancyPercentToday);
        Assert.Empty(figures.Handling);
        Assert.Equal(T0, figures.StateSince);
    }

    [Fact]
    public void Occupancy_is_handling_plus_wrap_up_time_over_signed_in_time()
    {
        var tracker = new OccupancyTracker(T0);
        SignInIdle(tracker, 0);
        Busy(tracker, 300);
        WrapUp(tracker, 600);
        SignInIdle(tracker, 660);

        var figures = tracker.Figures(At(900));

        // Signed in 0..900 = 900 s; busy 300..600 + wrap-up 600..660 = 360 s occupied: 360 / 900 = 40 %.
        Assert.Equal(40, figures.OccupancyPercentRecent, 9);
        Assert.Equal(40, figures.OccupancyPercentToday, 9);
        Assert.Equal(TimeSpan.FromSeconds(300), figures.ActivityTime[AgentActivity.Busy]);
        Assert.Equal(TimeSpan.FromSeconds(60), figures.ActivityTime[AgentActivity.WrapUp]);
        Assert.Equal(TimeSpan.FromSeconds(540), figures.ActivityTime[AgentActivity.Idle]); // 0..300 + 660..900
        Assert.Equal(TimeSpan.FromSeconds(900), figures.PresenceTime[Presence.Available]);
    }

    [Fact]
    public void Time_signed_out_does_not_count_towards_occupancy()
    {
        var tracker = new OccupancyTracker(T0);
        Busy(tracker, 0);
        SignOut(tracker, 300);

        var figures = tracker.Figures(At(900));

        // Signed in and occupied 0..300; the 600 s signed out after it are in neither numerator nor denominator.
        Assert.Equal(100, figures.OccupancyPercentRecent, 9);
        Assert.Equal(100, figures.OccupancyPercentToday, 9);
        Assert.Equal(TimeSpan.FromSeconds(600), figures.PresenceTime[Presence.Offline]);
    }

    [Fact]
    public void Occupied_while_signed_out_is_not_occupancy()
    {
        var tracker = new OccupancyTracker(T0);
        SignInIdle(tracker, 0);
        tracker.Observe(At(100), false, Presence.Offline, AgentActivity.SignedOut, occupied: true);

        // Signed in 0..100 and idle: 0 %; the "occupied" signed-out stretch after it counts nowhere.
        Assert.Equal(0, tracker.Figures(At(200)).OccupancyPercentToday);
    }

    [Fact]
    public void Recent_occupancy_slides_with_the_fifteen_minute_window_while_today_keeps_everything()
    {
        var tracker = new OccupancyTracker(T0);
        Busy(tracker, 0);
        SignInIdle(tracker, 600);

        // At 1200 s the window is 300..1200: occupied 300..600 = 300 of 900 s → 33.33 %; today 600 of 1200 → 50 %.
        var at1200 = tracker.Figures(At(1200));
        Assert.Equal(100.0 / 3, at1200.OccupancyPercentRecent, 9);
        Assert.Equal(50, at1200.OccupancyPercentToday, 9);

        // At 1800 s the window is 900..1800, all idle → 0 %; today 600 of 1800 → 33.33 %.
        var at1800 = tracker.Figures(At(1800));
        Assert.Equal(0, at1800.OccupancyPercentRecent);
        Assert.Equal(100.0 / 3, at1800.OccupancyPercentToday, 9);
    }

    [Fact]
    public void Recent_occupancy_is_zero_when_not_signed_in_during_the_window()
    {
        var tracker = new OccupancyTracker(T0);
        Busy(tracker, 0);
        SignOut(tracker, 60);

        var figures = tracker.Figures(At(2000));

        // Window 1100..2000 holds only signed-out time; the day still has 60 s signed in, all occupied.
        Assert.Equal(0, figures.OccupancyPercentRecent);
        Assert.Equal(100, figures.OccupancyPercentToday, 9);
    }

    [Fact]
    public void Figures_include_the_current_stretch_up_to_now_and_change_nothing()
    {
        var tracker = new OccupancyTracker(T0);
        Busy(tracker, 0);

        var first = tracker.Figures(At(100));
        var again = tracker.Figures(At(100));
        var later = tracker.Figures(At(250));

        Assert.Equal(TimeSpan.FromSeconds(100), first.ActivityTime[AgentActivity.Busy]);
        Assert.Equal(TimeSpan.FromSeconds(100), again.ActivityTime[AgentActivity.Busy]);
        Assert.Equal(TimeSpan.FromSeconds(250), later.ActivityTime[AgentActivity.Busy]);
        Assert.Equal(At(0), tracker.Export().AccountedUntil);
    }

    [Fact]
    public void Repeated_observations_of_the_same_state_are_harmless_and_take_no_memory()
    {
        var tracker = new OccupancyTracker(T0);
        Busy(tracker, 0);
        for (var i = 1; i <= 10_000; i++)
        {
            Busy(tracker, i * 0.05); // every 50 ms for 500 s
        }

        SignInIdle(tracker, 600);

        var figures = tracker.Figures(At(600));
        Assert.Equal(TimeSpan.FromSeconds(600), figures.ActivityTime[AgentActivity.Busy]);
        Assert.Equal(At(600), figures.StateSince); // idle since 600 s
        Assert.Single(tracker.Export().RecentSignedInStretches); // one closed stretch: busy 0..600
    }

    [Fact]
    public void Concurrent_interactions_count_once_because_occupied_is_a_single_flag()
    {
        // Two chats overlapping 0..300 and 100..400: the grain reports "occupied" throughout 0..400, not twice.
        var tracker = new OccupancyTracker(T0);
        Busy(tracker, 0);   // chat 1 connects
        Busy(tracker, 100); // chat 2 connects: same state
        Busy(tracker, 300); // chat 1 completes, chat 2 still connected
        SignInIdle(tracker, 400);

        var figures = tracker.Figures(At(800));

        // 400 s occupied of 800 s signed in = 50 %, never more than 100 % however many chats overlap.
        Assert.Equal(50, figures.OccupancyPercentToday, 9);
        Assert.Equal(TimeSpan.FromSeconds(400), figures.ActivityTime[AgentActivity.Busy]);
    }

    [Fact]
    public void Memory_for_the_window_is_bounded_by_the_changes_inside_it()
    {
        var tracker = new OccupancyTracker(T0);
        for (var s = 0; s < 3600; s += 10)
        {
            if (s % 20 == 0)
            {
                Busy(tracker, s);
            }
            else
            {
                SignInIdle(tracker, s);
            }
        }

        // A change every 10 s: the 15-minute window overlaps at most 900 / 10 + 1 = 91 closed stretches.
        Assert.InRange(tracker.Export().RecentSignedInStretches.Count, 1, 91);

        // Alternating 10 s busy / 10 s idle from 0 to 3590, then idle up to 3600: window 2700..3600 holds
        // 45 busy stretches of 10 s = 450 of 900 s → 50 %.
        Assert.Equal(50, tracker.Figures(At(3600)).OccupancyPercentRecent, 9);
    }

    [Fact]
    public void Memory_stays_bounded_when_the_agent_changes_every_second_and_the_figure_stays_close()
    {
        var tracker = new OccupancyTracker(T0);
        for (var s = 0; s < 3600; s++)
        {
            if (s % 2 == 0)
            {
                Busy(tracker, s);
            }
            else
            {
                SignInIdle(tracker, s);
            }
        }

        // 900 changes in the window, kept as at most MaxRecentStretches stretches, some of them merged.
        var kept = tracker.Export().RecentSignedInStretches;
        Assert.InRange(kept.Count, 1, OccupancyTracker.MaxRecentStretches);
        Assert.Contains(kept, s => s.MergedOccupiedTime is not null);
        // Merging loses no time: the kept stretches still follow one another without gaps, half of them occupied.
        Assert.All(kept.Zip(kept.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        var occupied = kept.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.OccupiedTime);
        Assert.InRange(occupied.TotalSeconds, ((kept[^1].End - kept[0].Start) / 2).TotalSeconds - 1, ((kept[^1].End - kept[0].Start) / 2).TotalSeconds + 1);

        // Exactly 50 % by replay (1 s busy, 1 s idle); merged stretches cut by the window's start are spread evenly,
        // which here is off by at most the one stretch cut.
        var longest = kept.Max(s => (s.End - s.Start).TotalSeconds);
        Assert.InRange(tracker.Figures(At(3600)).OccupancyPercentRecent, 50 - (100 * longest / 900), 50 + (100 * longest / 900));
    }

    [Fact]
    public void Memory_stays_bounded_when_the_agent_signs_in_and_out_every_few_seconds()
    {
        // Stretches separated by signed-out gaps never merge: beyond the bound the oldest goes.
        var tracker = new OccupancyTracker(T0);
        for (var s = 0; s < 900; s += 3)
        {
            Busy(tracker, s);
            SignOut(tracker, s + 1);
        }

        var kept = tracker.Export().RecentSignedInStretches;
        Assert.Equal(OccupancyTracker.MaxRecentStretches, kept.Count);
        Assert.All(kept, s => Assert.Null(s.MergedOccupiedTime));
        Assert.Equal(At(897), kept[^1].Start);
        Assert.Equal(100, tracker.Figures(At(900)).OccupancyPercentRecent, 9);
    }

    [Fact]
    public void Merged_stretches_survive_export_and_restore()
    {
        var original = new OccupancyTracker(T0);
        for (var s = 0; s < 600; s++)
        {
            if (s % 3 == 0)
            {
                Busy(original, s);
            }
            else if (s % 3 == 1)
            {
                SignInIdle(original, s);
            }
        }

        var restored = new OccupancyTracker(original.Export());

        Assert.Equal(original.Export().RecentSignedInStretches, restored.Export().RecentSignedInStretches);
        Assert.Equal(original.Figures(At(700)).OccupancyPercentRecent, restored.Figures(At(700)).OccupancyPercentRecent);
    }

    [Fact]
    public void State_since_is_when_the_current_activity_began()
    {
        var tracker = new OccupancyTracker(T0);
        SignInIdle(tracker, 10);
        Busy(tracker, 20);
        tracker.Observe(At(30), true, Presence.Away, AgentActivity.Busy, occupied: true); // presence alone changes
        Busy(tracker, 40);

        Assert.Equal(At(20), tracker.Figures(At(50)).StateSince);
    }

    [Fact]
    public void Handling_is_counted_and_averaged_per_channel()
    {
        var tracker = new OccupancyTracker(T0);
        tracker.Handled("chat", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10), At(100));
        tracker.Handled("chat", TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(20), At(200));
        tracker.Handled("chat", TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(30), At(300));
        tracker.Handled("voice", TimeSpan.FromSeconds(300), TimeSpan.Zero, At(400));

        var handling = tracker.Figures(At(500)).Handling;

        // chat: (60 + 120 + 180) / 3 = 120 s handle, (10 + 20 + 30) / 3 = 20 s wrap-up.
        Assert.Equal(new ChannelHandlingFigures(3, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(20)), handling["chat"]);
        Assert.Equal(new ChannelHandlingFigures(1, TimeSpan.FromSeconds(300), TimeSpan.Zero), handling["voice"]);
    }

    [Fact]
    public void A_stretch_spanning_midnight_is_split_and_the_day_starts_again()
    {
        var beforeMidnight = new DateTimeOffset(2025, 1, 1, 23, 50, 0, TimeSpan.Zero);
        var tracker = new OccupancyTracker(beforeMidnight);
        tracker.Observe(beforeMidnight, true, Presence.Available, AgentActivity.Busy, occupied: true);
        tracker.Handled("voice", TimeSpan.FromMinutes(5), TimeSpan.Zero, beforeMidnight.AddMinutes(5));
        tracker.Observe(beforeMidnight.AddMinutes(15), true, Presence.Available, AgentActivity.Idle, occupied: false); // 00:05

        var figures = tracker.Figures(beforeMidnight.AddMinutes(20)); // 00:10

        // Today is 00:00..00:10: busy 00:00..00:05 (5 min), idle 00:05..00:10 (5 min) → 50 % today.
        Assert.Equal(TimeSpan.FromMinutes(5), figures.ActivityTime[AgentActivity.Busy]);
        Assert.Equal(TimeSpan.FromMinutes(5), figures.ActivityTime[AgentActivity.Idle]);
        Assert.Equal(TimeSpan.FromMinutes(10), figures.PresenceTime[Presence.Available]);
        Assert.Equal(50, figures.OccupancyPercentToday, 9);

        // The window ignores the day: 23:55..00:10 is busy 10 of 15 min → 66.67 %.
        Assert.Equal(200.0 / 3, figures.OccupancyPercentRecent, 9);

        // Yesterday's call is not today's.
        Assert.Empty(figures.Handling);
    }

    [Fact]
    public void Asking_on_a_later_day_without_observations_counts_only_that_day()
    {
        var tracker = new OccupancyTracker(T0); // 2025-01-01 09:00
        Busy(tracker, 0);
        tracker.Handled("chat", TimeSpan.FromMinutes(1), TimeSpan.Zero, At(60));

        var figures = tracker.Figures(new DateTimeOffset(2025, 1, 3, 1, 0, 0, TimeSpan.Zero));

        // Two days later at 01:00: today is 00:00..01:00, still busy throughout.
        Assert.Equal(TimeSpan.FromHours(1), figures.ActivityTime[AgentActivity.Busy]);
        Assert.Equal(TimeSpan.FromHours(1), figures.PresenceTime.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b));
        Assert.Empty(figures.Handling);
        Assert.Equal(100, figures.OccupancyPercentToday, 9);
    }

    [Fact]
    public void A_late_observation_is_treated_as_happening_at_the_latest_instant_seen()
    {
        var tracker = new OccupancyTracker(T0);
        Busy(tracker, 0);
        SignInIdle(tracker, 100);
        Busy(tracker, 50); // reported late: takes effect at 100 s, never charging 50..100 twice

        var figures = tracker.Figures(At(200));

        // Busy 0..100 and 100..200, idle for no time: 200 s busy, and the day adds up to 200 s.
        Assert.Equal(TimeSpan.FromSeconds(200), figures.ActivityTime[AgentActivity.Busy]);
        Assert.Equal(TimeSpan.Zero, figures.ActivityTime[AgentActivity.Idle]);
    }

    [Fact]
    public void A_restored_tracker_carries_on_exactly_where_the_exported_one_was()
    {
        var original = new OccupancyTracker(T0);
        SignInIdle(original, 0);
        Busy(original, 120);
        original.Handled("chat", TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(15), At(210));
        WrapUp(original, 210);

        var restored = new OccupancyTracker(original.Export());
        foreach (var tracker in new[] { original, restored })
        {
            SignInIdle(tracker, 225);
            Busy(tracker, 400);
        }

        var expected = original.Figures(At(600));
        var actual = restored.Figures(At(600));

        // Signed in 0..600, occupied 120..225 + 400..600 = 305 s → 50.83 % on both.
        Assert.Equal(305.0 / 600 * 100, actual.OccupancyPercentToday, 9);
        Assert.Equal(expected.OccupancyPercentToday, actual.OccupancyPercentToday);
        Assert.Equal(expected.OccupancyPercentRecent, actual.OccupancyPercentRecent);
        Assert.Equal(expected.PresenceTime, actual.PresenceTime);
        Assert.Equal(expected.ActivityTime, actual.ActivityTime);
        Assert.Equal(expected.Handling, actual.Handling);
        Assert.Equal(expected.StateSince, actual.StateSince);
    }

    [Fact]
    public void An_exported_state_is_a_snapshot_unaffected_by_later_changes()
    {
        var tracker = new OccupancyTracker(T0);
        Busy(tracker, 0);
        SignInIdle(tracker, 60);
        var state = tracker.Export();

        tracker.Handled("chat", TimeSpan.FromSeconds(30), TimeSpan.Zero, At(90));
        Busy(tracker, 120);

        Assert.Empty(state.Handling);
        Assert.Equal(TimeSpan.FromSeconds(60), state.ActivityTime[AgentActivity.Busy]);
        Assert.Single(state.RecentSignedInStretches);
    }

    [Fact]
    public void Bad_handling_reports_are_refused()
    {
        var tracker = new OccupancyTracker(T0);
        Assert.Throws<ArgumentException>(() => tracker.Handled(" ", TimeSpan.Zero, TimeSpan.Zero, T0));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Handled("chat", TimeSpan.FromSeconds(-1), TimeSpan.Zero, T0));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Handled("chat", TimeSpan.Zero, TimeSpan.FromSeconds(-1), T0));
    }

    private sealed record Step(int AfterSeconds, bool SignedIn, Presence Presence, AgentActivity Activity, bool Occupied, bool Restore);

    private static readonly Gen<Step> GenStep =
        Gen.Select(Gen.Int[0, 400], Gen.Bool, Gen.Enum<Presence>(), Gen.Enum<AgentActivity>(), Gen.Bool, Gen.Int[0, 9])
            .Select((after, signedIn, presence, activity, occupied, restore) =>
                new Step(after, signedIn, presence, activity, occupied, restore == 0));

    /// <summary>
    /// Against a second-by-second replay of the same observations: every figure matches, across midnight (the run
    /// starts at 23:30 UTC and lasts up to ~2.7 h) and across export/restore at random points.
    /// </summary>
    [Fact]
    public void Figures_match_a_second_by_second_replay()
    {
        var start = new DateTimeOffset(2025, 1, 1, 23, 30, 0, TimeSpan.Zero);
        Gen.Select(GenStep.Array[1, 25], Gen.Int[0, 900]).Sample((steps, tail) =>
        {
            var tracker = new OccupancyTracker(start);
            var timeline = new List<(int From, Step State)> { (0, new Step(0, false, Presence.Offline, AgentActivity.SignedOut, false, false)) };
            var clock = 0;
            foreach (var step in steps)
            {
                clock += step.AfterSeconds;
                tracker.Observe(start.AddSeconds(clock), step.SignedIn, step.Presence, step.Activity, step.Occupied);
                timeline.Add((clock, step));
                if (step.Restore)
                {
                    tracker = new OccupancyTracker(tracker.Export());
                }
            }

            var now = clock + tail;
            var actual = tracker.Figures(start.AddSeconds(now));

            // Replay: which state held each second, and sum what each figure covers.
            var dayStart = (int)(new DateTimeOffset(start.AddSeconds(now).UtcDateTime.Date, TimeSpan.Zero) - start).TotalSeconds;
            var presence = Enum.GetValues<Presence>().ToDictionary(p => p, _ => 0);
            var activity = Enum.GetValues<AgentActivity>().ToDictionary(a => a, _ => 0);
            int signedInToday = 0, occupiedToday = 0, signedInRecent = 0, occupiedRecent = 0;
            var held = 0;
            var activitySince = 0;
            for (var second = 0; second < now; second++)
            {
                while (held + 1 < timeline.Count && timeline[held + 1].From <= second)
                {
                    held++;
                }

                var state = timeline[held].State;
                var occupied = state.SignedIn && state.Occupied;
                if (second >= dayStart)
                {
                    presence[state.Presence]++;
                    activity[state.Activity]++;
                    signedInToday += state.SignedIn ? 1 : 0;
                    occupiedToday += occupied ? 1 : 0;
                }

                if (second >= now - 900)
                {
                    signedInRecent += state.SignedIn ? 1 : 0;
                    occupiedRecent += occupied ? 1 : 0;
                }
            }

            for (var i = 1; i < timeline.Count; i++)
            {
                if (timeline[i].State.Activity != timeline[i - 1].State.Activity)
                {
                    activitySince = timeline[i].From;
                }
            }

            foreach (var (key, seconds) in presence)
            {
                Assert.Equal(TimeSpan.FromSeconds(seconds), actual.PresenceTime[key]);
            }

            foreach (var (key, seconds) in activity)
            {
                Assert.Equal(TimeSpan.FromSeconds(seconds), actual.ActivityTime[key]);
            }

            Assert.Equal(signedInToday > 0 ? 100.0 * occupiedToday / signedInToday : 0, actual.OccupancyPercentToday, 9);
            Assert.Equal(signedInRecent > 0 ? 100.0 * occupiedRecent / signedInRecent : 0, actual.OccupancyPercentRecent, 9);
            Assert.Equal(start.AddSeconds(activitySince), actual.StateSince);
        });
    }
}
