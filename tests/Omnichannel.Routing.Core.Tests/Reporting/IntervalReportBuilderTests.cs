using Omnichannel.Routing.Core.Reporting;
using S = Omnichannel.Routing.Core.InteractionState;
using static Omnichannel.Routing.Core.RoutingEventType;

namespace Omnichannel.Routing.Core.Tests.Reporting;

public class IntervalReportBuilderTests
{
    private static readonly DateTimeOffset Nine = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly ReportWindow HalfHour = new(Nine, Nine.AddMinutes(30), TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(20));

    private static DateTimeOffset At(int minutes, int seconds) => Nine.AddMinutes(minutes).AddSeconds(seconds);

    private static TraceEvent E(DateTimeOffset at, RoutingEventType type, string id, string? queue, string? agent, S? from, S to, int priority = 0) =>
        TraceEvent.ForInteraction(at, type, id, queue, agent, "voice", from, to, priority);

    /// <summary>
    /// A scripted half hour: two agents, six interactions (answered inside and outside 20 s, a short and a long
    /// abandon, an overflow, a transfer of connected work to another queue). The expected figures are worked by hand
    /// in the comments.
    /// </summary>
    private static List<TraceEvent> ScriptedHalfHour() =>
    [
        TraceEvent.ForAgent(At(0, 0), SignedIn, "a1"),
        TraceEvent.ForAgent(At(0, 0), SignedIn, "a2"),
        // i1: waits 10 s, handled 180 s, wrap-up 30 s by a1.
        E(At(0, 0), Routed, "i1", "sales", null, null, S.Queued),
        E(At(0, 5), Offered, "i1", "sales", "a1", S.Queued, S.Offered),
        E(At(0, 10), Accepted, "i1", "sales", "a1", S.Offered, S.Connected),
        // i2: waits 30 s (outside the threshold), handled 240 s, wrap-up 60 s by a2.
        E(At(1, 0), Routed, "i2", "sales", null, null, S.Queued),
        E(At(1, 30), Accepted, "i2", "sales", "a2", S.Offered, S.Connected),
        // i3: abandons after 10 s (a short abandon); i4 (priority 5) after 60 s.
        E(At(2, 0), Routed, "i3", "sales", null, null, S.Queued),
        E(At(2, 10), Cancelled, "i3", "sales", null, S.Queued, S.Abandoned),
        E(At(3, 0), Routed, "i4", "sales", null, null, S.Queued, priority: 5),
        E(At(3, 10), Completed, "i1", "sales", "a1", S.Connected, S.WrapUp),
        E(At(3, 40), WrapUpEnded, "i1", "sales", "a1", S.WrapUp, S.Completed),
        E(At(4, 0), Cancelled, "i4", "sales", null, S.Queued, S.Abandoned),
        // i6: answered by a1 after 5 s, transferred to support after 60 s, waits 55 s there, a2 finishes it.
        E(At(5, 0), Routed, "i6", "sales", null, null, S.Queued),
        E(At(5, 5), Accepted, "i6", "sales", "a1", S.Offered, S.Connected),
        E(At(5, 30), Completed, "i2", "sales", "a2", S.Connected, S.WrapUp),
        E(At(6, 5), Transferred, "i6", "support", "a1", S.Connected, S.Queued),
        E(At(6, 30), WrapUpEnded, "i2", "sales", "a2", S.WrapUp, S.Completed),
        E(At(7, 0), Accepted, "i6", "support", "a2", S.Offered, S.Connected),
        E(At(8, 0), Completed, "i6", "support", "a2", S.Connected, S.WrapUp),
        E(At(8, 30), WrapUpEnded, "i6", "support", "a2", S.WrapUp, S.Completed),
        // i5: second interval, overflows to support after 40 s and is answered there 60 s after arriving.
        E(At(16, 0), Routed, "i5", "sales", null, null, S.Queued),
        E(At(16, 40), Overflowed, "i5", "support", null, S.Queued, S.Queued),
        E(At(17, 0), Accepted, "i5", "support", "a1", S.Offered, S.Connected),
        TraceEvent.ForAgent(At(25, 0), SignedOut, "a1"),
    ];

    private static QueueIntervalRow Row(IntervalReport report, string queue, int minute) =>
        Assert.Single(report.Queues, r => r.QueueId == queue && r.IntervalStart == Nine.AddMinutes(minute));

    [Fact]
    public void Queue_figures_of_a_scripted_interval_match_the_counts_worked_by_hand()
    {
        var report = IntervalReportBuilder.Build(ScriptedHalfHour(), HalfHour);

        var sales = Row(report, "sales", 0);
        Assert.Equal("voice", sales.Channel);
        Assert.Equal(5, sales.Offered); // i1 i2 i3 i4 i6
        Assert.Equal(3, sales.Answered); // i1 (10 s) i2 (30 s) i6 (5 s)
        Assert.Equal(2, sales.Abandoned); // i3 (10 s) i4 (60 s)
        Assert.Equal(2, sales.AnsweredWithinThreshold);
        Assert.Equal(1, sales.AbandonedWithinThreshold);
        Assert.Equal(1, sales.Transferred);
        Assert.Equal(0, sales.Overflowed);
        // 2 answered within 20 s ÷ (3 answered + 2 abandoned − 1 short abandon).
        Assert.Equal(50.0, sales.ServiceLevelPercent);
        Assert.Equal(40.0, sales.AbandonRatePercent);
        Assert.Equal(TimeSpan.FromSeconds(15), sales.AverageSpeedOfAnswer); // (10 + 30 + 5) / 3
        Assert.Equal(TimeSpan.FromSeconds(30), sales.SpeedOfAnswerP90);
        Assert.Equal(TimeSpan.FromSeconds(23), sales.AverageWait); // (5 + 10 + 10 + 30 + 60) / 5
        Assert.Equal(TimeSpan.FromSeconds(60), sales.WaitP95);
        Assert.Equal(TimeSpan.FromSeconds(60), sales.LongestWait);
        // Only i1 and i2 finished here; i6's handling went on in support.
        Assert.Equal(TimeSpan.FromSeconds(210), sales.AverageHandleTime);
        Assert.Equal(TimeSpan.FromSeconds(45), sales.AverageWrapUpTime);
    }

    [Fact]
    public void An_overflow_counts_in_the_queue_it_left_and_the_customer_s_wait_runs_on_in_the_target()
    {
        var report = IntervalReportBuilder.Build(ScriptedHalfHour(), HalfHour);

        var salesLater = Row(report, "sales", 15);
        Assert.Equal(1, salesLater.Offered);
        Assert.Equal(1, salesLater.Overflowed);
        Assert.Equal(0, salesLater.Answered);
        Assert.Null(salesLater.ServiceLevelPercent);

        var supportLater = Row(report, "support", 15);
        Assert.Equal(1, supportLater.Answered);
        Assert.Equal(TimeSpan.FromSeconds(60), supportLater.AverageSpeedOfAnswer);
        Assert.Equal(0.0, supportLater.ServiceLevelPercent);

        var supportFirst = Row(report, "support", 0);
        Assert.Equal(1, supportFirst.Offered); // i6, transferred in: a new wait of 55 s
        Assert.Equal(TimeSpan.FromSeconds(55), supportFirst.AverageSpeedOfAnswer);
        Assert.Equal(TimeSpan.FromSeconds(60), supportFirst.AverageHandleTime);
    }

    [Fact]
    public void Agent_occupancy_is_busy_time_over_signed_in_time_per_interval()
    {
        var report = IntervalReportBuilder.Build(ScriptedHalfHour(), HalfHour);
        AgentIntervalRow Agent(string id, int minute) =>
            Assert.Single(report.Agents, r => r.AgentId == id && r.Channel == AgentIntervalRow.AllChannels && r.IntervalStart == Nine.AddMinutes(minute));

        // a1: i1 210 s + i6 60 s of 900 s; then i5 from 09:17 until signing out at 09:25, 480 of 600 s.
        Assert.Equal(TimeSpan.FromSeconds(270), Agent("a1", 0).BusyTime);
        Assert.Equal(30.0, Agent("a1", 0).OccupancyPercent, 9);
        Assert.Equal(1, Agent("a1", 0).Handled);
        Assert.Equal(TimeSpan.FromSeconds(600), Agent("a1", 15).SignedInTime);
        Assert.Equal(80.0, Agent("a1", 15).OccupancyPercent, 9);

        // a2: i2 300 s + i6 90 s of 900 s, then idle.
        Assert.Equal(100.0 * 390 / 900, Agent("a2", 0).OccupancyPercent, 9);
        Assert.Equal(2, Agent("a2", 0).Handled);
        Assert.Equal(0.0, Agent("a2", 15).OccupancyPercent);

        var a2Voice = Assert.Single(report.Agents, r => r.AgentId == "a2" && r.Channel == "voice" && r.IntervalStart == Nine);
        Assert.Equal(TimeSpan.FromSeconds(390), a2Voice.BusyTime);
    }

    [Fact]
    public void The_longest_wait_is_reported_per_priority()
    {
        var report = IntervalReportBuilder.Build(ScriptedHalfHour(), HalfHour);

        var high = Assert.Single(report.LongestWaitByPriority, p => p.Priority == 5);
        Assert.Equal(1, high.Interactions);
        Assert.Equal(TimeSpan.FromSeconds(60), high.LongestWait);
        Assert.Equal(TimeSpan.FromSeconds(60), report.LongestWaitByPriority.Single(p => p.Priority == 0).LongestWait);
    }

    [Fact]
    public void The_whole_window_as_one_interval_sums_the_intervals()
    {
        var report = IntervalReportBuilder.Build(ScriptedHalfHour(), HalfHour.Whole);

        var sales = Assert.Single(report.Queues, r => r.QueueId == "sales");
        Assert.Equal(6, sales.Offered);
        Assert.Equal(1, sales.Overflowed);
        Assert.Equal(Nine.AddMinutes(30), sales.IntervalEnd);
    }

    [Fact]
    public void Interactions_that_entered_before_the_window_count_in_no_interval()
    {
        var window = new ReportWindow(Nine.AddMinutes(15), Nine.AddMinutes(30), TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(20));

        var report = IntervalReportBuilder.Build(ScriptedHalfHour(), window);

        Assert.DoesNotContain(report.Queues, r => r.Offered > 0 && r.IntervalStart < window.From);
        Assert.Equal(1, Assert.Single(report.Queues, r => r.QueueId == "sales").Offered);
    }

    [Fact]
    public void The_csv_has_a_header_and_one_line_per_row_with_empty_cells_for_missing_figures()
    {
        var report = IntervalReportBuilder.Build(ScriptedHalfHour(), HalfHour);
        using var text = new StringWriter();

        IntervalReportCsv.WriteQueues(report.Queues, text);

        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(IntervalReportCsv.QueueHeader, lines[0]);
        Assert.Equal(report.Queues.Count + 1, lines.Length);
        Assert.StartsWith("2026-11-30T09:00:00Z,2026-11-30T09:15:00Z,sales,voice,5,3,2,2,1,1,0,0,50.00,40.00,15,30,23,60,60,60,210,45", lines[1], StringComparison.Ordinal);
        Assert.Contains("2026-11-30T09:15:00Z,2026-11-30T09:30:00Z,sales,voice,1,0,0,0,0,0,1,0,,,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_must_end_after_it_starts_and_have_a_positive_interval()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReportWindow(Nine, Nine, TimeSpan.FromMinutes(15), TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReportWindow(Nine, Nine.AddHours(1), TimeSpan.Zero, TimeSpan.Zero));
    }
}
