using Omnichannel.Routing.Core.Reporting;
using Omnichannel.Routing.Simulation.Results;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Tests;

public class CompareAndOutputTests
{
    [Fact]
    public void A_variant_changes_only_what_it_names()
    {
        var scenario = ScenarioLoader.Load(Scenarios.Example);

        var variants = ScenarioVariants.WithVariants(scenario);

        Assert.Equal(scenario.Variants.Count + 1, variants.Count);
        var leastOccupied = variants.Single(v => v.Name == "least-occupied").Scenario;
        Assert.All(leastOccupied.Queues, q => Assert.Equal("least-occupied", q.Policy));
        Assert.Equal(scenario.Agents.Sum(a => a.Count), leastOccupied.Agents.Sum(a => a.Count));
        Assert.Equal(scenario.Queues.Select(q => q.AgingRate), leastOccupied.Queues.Select(q => q.AgingRate));
        Assert.All(scenario.Queues, q => Assert.Equal("longest-idle", q.Policy));
        Assert.Equal(18, variants.Single(v => v.Name == "least-occupied, 2 more sales agents").Scenario.Agents.Single(a => a.Name == "sales").Count);
    }

    [Fact]
    public void Compare_mode_reports_each_configuration_and_the_paired_difference_of_the_policy_change()
    {
        var scenario = ScenarioLoader.Load(Scenarios.Example);
        var configurations = ScenarioVariants.WithVariants(scenario).Take(2).ToList();

        var comparison = SimulationStudy.Run(configurations, firstSeed: 1, seeds: 2);

        var baseline = comparison.Configurations[0];
        var other = comparison.Configurations[1];
        // The same seeds give both configurations the same customers.
        Assert.Equal(baseline.Runs.Select(r => r.Arrivals), other.Runs.Select(r => r.Arrivals));
        var difference = comparison.Difference(other, ComparedFigure.OccupancySpreadPercent);
        Assert.Equal(other.Of(ComparedFigure.OccupancySpreadPercent).Mean - baseline.Of(ComparedFigure.OccupancySpreadPercent).Mean, difference.Mean, 9);
        Assert.NotEqual(0, difference.Mean);

        var markdown = SimulationMarkdown.Write(comparison);
        Assert.Contains("| Figure | example centre | least-occupied | least-occupied − example centre |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Agent occupancy, spread (sd, %) |", markdown, StringComparison.Ordinal);
        Assert.Contains("## least-occupied (seed 1)", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Charts_render_as_png_files_without_a_display()
    {
        var run = SimulationStudy.Run([("short day", Scenarios.SingleQueue(3, 40, 180, hours: 2))], firstSeed: 1, seeds: 1);
        var folder = Path.Combine(Path.GetTempPath(), "omnichannel-sim-charts-" + Guid.NewGuid().ToString("N"));
        try
        {
            var charts = SimulationCharts.Write(run, folder);

            Assert.Equal(["waiting.png", "service-level.png", "occupancy.png"], charts);
            foreach (var chart in charts)
            {
                var bytes = File.ReadAllBytes(Path.Combine(folder, chart));
                // The PNG signature, and more than an empty image.
                Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
                Assert.True(bytes.Length > 5_000);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_simulated_report_has_the_columns_of_the_real_one()
    {
        var run = SimulationStudy.Run([("short day", Scenarios.SingleQueue(3, 40, 180, hours: 2))], firstSeed: 1, seeds: 1).Baseline.Runs[0];
        using var text = new StringWriter();

        IntervalReportCsv.WriteQueues(run.Report.Queues, text);

        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(IntervalReportCsv.QueueHeader, lines[0]);
        Assert.Equal(3, lines.Length); // two hourly intervals
    }

    [Theory]
    [InlineData("policy: fastest", "queues[0].policy")]
    [InlineData("agingRate: -1", "queues[0].agingRate")]
    public void A_scenario_with_a_bad_queue_setting_is_refused_naming_the_key(string setting, string key)
    {
        var yaml = $$"""
            channels: [{ name: voice }]
            queues: [{ id: q, {{setting}} }]
            agents: [{ count: 1, queues: [q], capacity: [{ channel: voice }] }]
            arrivals: [{ queue: q, channel: voice, perHour: 10 }]
            """;

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml));

        Assert.StartsWith(key + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_refused_rather_than_ignored()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("chanels: []"));

        Assert.Contains("line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arrivals_replayed_from_a_csv_of_timestamps_arrive_exactly_then()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["time", "2026-11-30T08:00:05Z", "2026-11-30T08:10:00Z", "2026-11-30T07:00:00Z"]);
            var scenario = Scenarios.SingleQueue(2, 0, 60, hours: 1);
            scenario.Arrivals = [new ArrivalSpec { Queue = "q", Channel = "voice", Replay = file }];

            var run = Engine.DaySimulation.Run(scenario, seed: 1);

            var routed = run.Trace.Where(e => e.Type == Core.RoutingEventType.Routed).Select(e => e.Time).ToList();
            Assert.Equal([DateTimeOffset.Parse("2026-11-30T08:00:05Z", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-11-30T08:10:00Z", System.Globalization.CultureInfo.InvariantCulture)], routed);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
