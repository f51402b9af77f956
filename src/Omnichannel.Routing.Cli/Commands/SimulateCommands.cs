using System.CommandLine;
using System.Globalization;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Core.Reporting;
using Omnichannel.Routing.Simulation.Results;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary>
/// <c>simulate</c>: a scenario's day in virtual time on the routing core, with no engine: alone, against its
/// variants, or against other scenario files. Writes the Markdown report, the interval CSVs and the charts. With
/// <c>--replay-from</c> it first reads a real day's arrivals from the engine and replays them under the scenario's
/// configurations: "what if we had used least-occupied last Monday" in one command.
/// </summary>
internal sealed class SimulateCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Argument<FileInfo> _scenario = new("scenario") { Description = "the scenario file (YAML or JSON)" };

    private readonly Option<FileInfo[]> _compare = new("--compare")
    {
        Description = "other scenario files to run side by side with the first (the scenario's own variants always are)",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<int?> _seed = new("--seed") { Description = "the first seed (default: the scenario's)", CustomParser = r => ArgumentParsers.Integer(minimum: 0)(r) };

    private readonly Option<int> _seeds = new("--seeds")
    {
        Description = "days run per configuration, seeds N, N+1, …; more narrow the confidence intervals (default 1)",
        DefaultValueFactory = _ => 1,
        CustomParser = ArgumentParsers.Integer(minimum: 1, maximum: 1000),
    };

    private readonly Option<DirectoryInfo> _out = new("--out") { Description = "where to write report.md, the CSVs and the charts (default: ./simulation)" };

    private readonly Option<bool> _noVariants = new("--no-variants") { Description = "run the scenario alone, without its variants" };

    private readonly Option<DateTimeOffset?> _replayFrom = new("--replay-from")
    {
        Description = "replay a real day: the engine's arrivals from this time (ISO 8601) replace the scenario's own, under its configurations",
        CustomParser = ReportCommands.ParseTime,
    };

    private readonly Option<DateTimeOffset?> _replayTo = new("--replay-to") { Description = "end of the replayed range (default: now)", CustomParser = ReportCommands.ParseTime };

    public IEnumerable<Command> Commands()
    {
        yield return new Command("simulate", "simulate a scenario's day on the routing core and report it in the interval-report format")
        {
            _scenario, _compare, _seed, _seeds, _out, _noVariants, _replayFrom, _replayTo,
        }.RunsOnEngine(global, RunAsync);
    }

    private async Task<int> RunAsync(CommandContext context)
    {
        var file = context.Argument(_scenario);
        var scenario = Load(file.FullName);
        var folder = context.Value(_out)?.FullName ?? Path.GetFullPath("simulation");
        Directory.CreateDirectory(folder);
        if (context.Value(_replayFrom) is { } replayFrom)
        {
            scenario = await ReplayAsync(context, scenario, replayFrom, context.Value(_replayTo) ?? DateTimeOffset.UtcNow, folder);
        }

        var configurations = context.Flag(_noVariants) ? [(scenario.Name, scenario)] : ScenarioVariants.WithVariants(scenario).ToList();
        foreach (var other in context.Value(_compare) ?? [])
        {
            var compared = Load(other.FullName);
            configurations.Add((compared.Name, compared));
        }

        var seeds = context.Value(_seeds);
        var firstSeed = context.Value(_seed) ?? scenario.Seed;
        var total = configurations.Count * seeds;
        var done = 0;
        var progress = new SynchronousProgress(run =>
        {
            done++;
            context.Output.Note(string.Create(CultureInfo.InvariantCulture,
                $"[{done}/{total}] {run.Scenario.Name}, seed {run.Seed}: {run.Arrivals} interactions, service level {IntervalReportCsv.Percent(run.Overall.ServiceLevelPercent)}%, ASA {run.Overall.AverageSpeedOfAnswer.TotalSeconds:0.0} s, {run.WallTime.TotalSeconds:0.00} s ({run.InteractionsPerSecond:0}/s)"));
        });

        var comparison = SimulationStudy.Run(configurations, firstSeed, seeds, progress);
        var charts = SimulationCharts.Write(comparison, folder);
        foreach (var (configuration, index) in comparison.Configurations.Select((c, i) => (c, i)))
        {
            var run = configuration.Runs[0];
            WriteCsv(Path.Combine(folder, $"queues-{index + 1}.csv"), w => IntervalReportCsv.WriteQueues(run.Report.Queues, w));
            WriteCsv(Path.Combine(folder, $"agents-{index + 1}.csv"), w => IntervalReportCsv.WriteAgents(run.Totals.Agents, w));
        }

        File.WriteAllText(Path.Combine(folder, "report.md"), SimulationMarkdown.Write(comparison, charts));
        context.Output.Note($"wrote {Path.Combine(folder, "report.md")}, {string.Join(", ", charts)} and the interval CSVs (queues-N.csv, agents-N.csv; N in the report's order)");
        return 0;
    }

    /// <summary>The range's real arrivals, from the engine's event log, into <c>arrivals.csv</c>, and the scenario moved onto that range to replay them.</summary>
    private static async Task<Scenario> ReplayAsync(CommandContext context, Scenario scenario, DateTimeOffset from, DateTimeOffset to, string folder)
    {
        if (to <= from)
        {
            throw new CommandFailedException("--replay-to: must come after --replay-from");
        }

        var arrivals = new FileInfo(Path.Combine(folder, "arrivals.csv"));
        var client = new V1.ReportingService.ReportingServiceClient(context.Invoker);
        var request = new V1.StreamArrivalsRequest
        {
            From = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(from),
            To = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(to),
        };
        await ReportCommands.WriteArrivalsAsync(client, request, arrivals, context);
        var unmatched = ScenarioReplay.Unmatched(scenario, arrivals.FullName);
        if (unmatched.Count > 0)
        {
            context.Output.Note($"no arrival stream of the scenario takes {string.Join(", ", unmatched)}: those arrivals are left out");
        }

        try
        {
            return ScenarioReplay.Of(scenario, arrivals.FullName, from, to);
        }
        catch (ScenarioException e)
        {
            throw new CommandFailedException(e.Message, e);
        }
    }

    private static Scenario Load(string path)
    {
        try
        {
            return ScenarioLoader.Load(path);
        }
        catch (ScenarioException e)
        {
            throw new CommandFailedException($"{path}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new CommandFailedException($"{path}: {e.Message}", e);
        }
    }

    private static void WriteCsv(string path, Action<TextWriter> write)
    {
        using var writer = new StreamWriter(path);
        write(writer);
    }

    /// <summary>Reports on the caller's thread, at once (<see cref="Progress{T}"/> posts to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(Action<SimulationRun> report) : IProgress<SimulationRun>
    {
        public void Report(SimulationRun value) => report(value);
    }
}
