using System.Globalization;
using System.Text;
using Omnichannel.Routing.Core.Reporting;

namespace Omnichannel.Routing.Simulation.Results;

/// <summary>A comparison (or a single configuration) as a Markdown report: the day's figures side by side, then each configuration's queues, intervals and agents.</summary>
public static class SimulationMarkdown
{
    private static readonly (ComparedFigure Figure, string Label)[] Figures =
    [
        (ComparedFigure.ServiceLevelPercent, "Service level (%)"),
        (ComparedFigure.AverageSpeedOfAnswerSeconds, "Average speed of answer (s)"),
        (ComparedFigure.WaitP95Seconds, "95th percentile wait (s)"),
        (ComparedFigure.AbandonRatePercent, "Abandoned (%)"),
        (ComparedFigure.OccupancyMeanPercent, "Agent occupancy, mean (%)"),
        (ComparedFigure.OccupancySpreadPercent, "Agent occupancy, spread (sd, %)"),
        (ComparedFigure.LongestWaitSeconds, "Longest wait (s)"),
    ];

    public static string Write(Comparison comparison, IReadOnlyList<string>? charts = null)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var md = new StringBuilder();
        var first = comparison.Baseline.Runs[0];
        var seeds = comparison.Baseline.Runs.Count;
        Line(md, $"# Simulated day: {first.Scenario.Name}");
        Line(md);
        Line(md, $"{first.Scenario.StartTime:yyyy-MM-dd HH:mm} UTC, {first.Scenario.Hours:0.##} h, {first.Scenario.IntervalMinutes}-minute intervals, service level = answered within {first.Scenario.ServiceLevelSeconds:0.##} s; " +
            $"{seeds} seed(s) from {first.Seed}; figures are means over seeds ± the half-width of a 95% confidence interval.");
        Line(md);
        DayTable(md, comparison);
        foreach (var chart in charts ?? [])
        {
            Line(md, $"![{Path.GetFileNameWithoutExtension(chart)}]({chart})");
            Line(md);
        }

        foreach (var configuration in comparison.Configurations)
        {
            ConfigurationSection(md, configuration);
        }

        return md.ToString();
    }

    private static void DayTable(StringBuilder md, Comparison comparison)
    {
        var others = comparison.Configurations.Skip(1).ToList();
        Line(md, "| Figure | " + string.Join(" | ", comparison.Configurations.Select(c => c.Name)) + string.Concat(others.Select(o => $" | {o.Name} − {comparison.Baseline.Name}")) + " |");
        Line(md, "|---|" + string.Concat(Enumerable.Repeat("---:|", comparison.Configurations.Count + others.Count)));
        foreach (var (figure, label) in Figures)
        {
            var cells = comparison.Configurations.Select(c => Format(c.Of(figure)))
                .Concat(others.Select(o => Signed(comparison.Difference(o, figure))));
            Line(md, $"| {label} | " + string.Join(" | ", cells) + " |");
        }

        var run = comparison.Baseline.Runs[0];
        Line(md, "| Interactions offered | " + string.Join(" | ", comparison.Configurations.Select(c => Number(c.Runs.Average(r => r.Overall.Offered)))) + string.Concat(others.Select(_ => " | ")) + " |");
        Line(md);
        Line(md, $"Simulated {run.Arrivals} interactions of seed {run.Seed} in {run.WallTime.TotalSeconds:0.00} s of wall time ({run.InteractionsPerSecond:0} interactions/s).");
        Line(md);
    }

    private static void ConfigurationSection(StringBuilder md, ConfigurationRuns configuration)
    {
        var run = configuration.Runs[0];
        Line(md, $"## {configuration.Name} (seed {run.Seed})");
        Line(md);
        Line(md, "| Queue | Channel | Offered | Answered | Abandoned | Transferred | Overflowed | SL % | ASA s | p95 wait s | p99 wait s | Longest s | AHT s |");
        Line(md, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in run.Totals.Queues.Append(run.Overall))
        {
            Line(md, $"| {r.QueueId} | {r.Channel} | {r.Offered} | {r.Answered} | {r.Abandoned} | {r.Transferred} | {r.Overflowed} | {IntervalReportCsv.Percent(r.ServiceLevelPercent)} | " +
                $"{IntervalReportCsv.Seconds(Round(r.AverageSpeedOfAnswer))} | {IntervalReportCsv.Seconds(Round(r.WaitP95))} | {IntervalReportCsv.Seconds(Round(r.WaitP99))} | {IntervalReportCsv.Seconds(Round(r.LongestWait))} | {IntervalReportCsv.Seconds(Round(r.AverageHandleTime))} |");
        }

        Line(md);
        var o = run.Occupancy;
        Line(md, $"Agent occupancy over the day: mean {o.Mean:0.0}%, spread (sd) {o.Spread:0.0}, min {o.Min:0.0}%, max {o.Max:0.0}% over {o.PerAgent.Count} agents. " +
            "Interactions per agent: " + string.Join(", ", o.HandledPerAgentByChannel.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key} {h.Value:0.0}")) + ".");
        Line(md);
        Line(md, "Longest wait per priority: " + string.Join(", ", run.Totals.LongestWaitByPriority.Select(p => $"priority {p.Priority}: {p.LongestWait.TotalSeconds:0} s (mean {p.AverageWait.TotalSeconds:0} s, {p.Interactions} interactions)")) + ".");
        Line(md);
        Line(md, "| Interval | Offered | Answered | Abandoned | SL % | ASA s | p95 wait s |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in run.OverallByInterval)
        {
            Line(md, $"| {r.IntervalStart:HH:mm} | {r.Offered} | {r.Answered} | {r.Abandoned} | {IntervalReportCsv.Percent(r.ServiceLevelPercent)} | {IntervalReportCsv.Seconds(Round(r.AverageSpeedOfAnswer))} | {IntervalReportCsv.Seconds(Round(r.WaitP95))} |");
        }

        Line(md);
    }

    private static TimeSpan Round(TimeSpan t) => TimeSpan.FromSeconds(Math.Round(t.TotalSeconds, 1));

    private static string Format(Estimate e) =>
        e.HalfWidth > 0 ? string.Create(CultureInfo.InvariantCulture, $"{e.Mean:0.0} ± {e.HalfWidth:0.0}") : string.Create(CultureInfo.InvariantCulture, $"{e.Mean:0.0}");

    private static string Signed(Estimate e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.Mean:+0.0;-0.0;0.0}") + (e.HalfWidth > 0 ? string.Create(CultureInfo.InvariantCulture, $" ± {e.HalfWidth:0.0}") : string.Empty);

    private static string Number(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
