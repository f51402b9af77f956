using ScottPlot;

namespace Omnichannel.Routing.Simulation.Results;

/// <summary>
/// PNG charts of a comparison, drawn with ScottPlot (rendered by SkiaSharp, headless): waiting and service level over
/// the day per configuration, and each configuration's distribution of agent occupancy.
/// </summary>
public static class SimulationCharts
{
    private const int Width = 900;
    private const int Height = 450;

    /// <summary>Writes the charts into <paramref name="folder"/>; answers their file names.</summary>
    public static IReadOnlyList<string> Write(Comparison comparison, string folder)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        Directory.CreateDirectory(folder);
        return
        [
            OverTheDay(comparison, folder, "waiting.png", "Waiting over the day (95th percentile)", "wait (s)", r => r.WaitP95.TotalSeconds),
            OverTheDay(comparison, folder, "service-level.png", "Service level over the day", "answered within threshold (%)", r => r.ServiceLevelPercent ?? 100),
            OccupancyDistribution(comparison, folder, "occupancy.png"),
        ];
    }

    private static string OverTheDay(Comparison comparison, string folder, string file, string title, string yLabel, Func<Core.Reporting.QueueIntervalRow, double> figure)
    {
        var plot = new Plot();
        foreach (var configuration in comparison.Configurations)
        {
            var rows = configuration.Runs[0].OverallByInterval;
            // The mean over seeds, interval by interval.
            var xs = rows.Select(r => r.IntervalStart.UtcDateTime.ToOADate()).ToArray();
            var ys = Enumerable.Range(0, rows.Count).Select(i => configuration.Runs.Average(run => figure(run.OverallByInterval[i]))).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = configuration.Name;
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title(title);
        plot.XLabel("interval start (UTC)");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(Path.Combine(folder, file), Width, Height);
        return file;
    }

    private static string OccupancyDistribution(Comparison comparison, string folder, string file)
    {
        const double binWidth = 5;
        var plot = new Plot();
        var count = comparison.Configurations.Count;
        for (var c = 0; c < count; c++)
        {
            var configuration = comparison.Configurations[c];
            var occupancies = configuration.Runs.SelectMany(r => r.Occupancy.PerAgent.Values).ToList();
            var bins = Enumerable.Range(0, 20).Select(b => occupancies.Count(o => Math.Min((int)(o / binWidth), 19) == b) / (double)Math.Max(1, configuration.Runs.Count)).ToArray();
            // Side by side within each bin, one bar per configuration.
            var positions = Enumerable.Range(0, 20).Select(b => (b * binWidth) + (binWidth * (c + 0.5) / count)).ToArray();
            var bars = plot.Add.Bars(positions, bins);
            bars.LegendText = configuration.Name;
            foreach (var bar in bars.Bars)
            {
                bar.Size = binWidth / count * 0.9;
            }
        }

        plot.Title("Agent occupancy over the day");
        plot.XLabel("occupancy (%)");
        plot.YLabel("agents");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(Path.Combine(folder, file), Width, Height);
        return file;
    }
}
