using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Omnichannel.Routing.LoadTests.Tests;

/// <summary>
/// The chaos scenario, short: a 3-silo local cluster (deploy/local-cluster.sh) under a small steady load through all
/// silos, while silos are taken away and brought back. The program's invariant audit is the judge: nothing
/// acknowledged lost, nothing assigned twice, no agent over capacity, every interaction finished. The long runs and
/// their figures are in docs/benchmarks.md.
/// </summary>
[Collection(nameof(ChaosScenarioTests))]
public sealed partial class ChaosScenarioTests(ITestOutputHelper output)
{
    private static readonly string[] SmallLoad =
    [
        "--scenario", "chaos", "--silos", "3", "--rate", "8", "--agents", "12", "--warmup", "5s",
        "--handle-scale", "0.3", "--think-ms", "20", "--wrap-ms", "50", "--progress-seconds", "5", "--no-build",
    ];

    [Fact]
    public async Task A_silo_killed_and_restarted_under_load_loses_nothing_acknowledged_and_assigns_nothing_twice()
    {
        var (exitCode, markdown) = await RunAsync([.. SmallLoad, "--disruption", "kill", "--disrupt-every", "10s", "--duration", "25s"]);

        Assert.True(exitCode == 0, markdown);
        Assert.Contains("Invariant audit: **PASSED**", markdown, StringComparison.Ordinal);
        Assert.True(Restarts(markdown) >= 1, markdown);
        Assert.Contains(", 0 left unfinished.", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rolling_restart_of_every_silo_under_load_fails_no_retried_route_and_loses_nothing()
    {
        var (exitCode, markdown) = await RunAsync([.. SmallLoad, "--disruption", "term", "--disrupt-every", "2s", "--duration", "90s"]);

        Assert.True(exitCode == 0, markdown);
        Assert.Contains("Invariant audit: **PASSED**", markdown, StringComparison.Ordinal);
        Assert.True(Restarts(markdown) >= 3, $"fewer than three silos were restarted:\n{markdown}");
        // A front-end retries a route with the same request_id while silos come and go; none may fail for good.
        Assert.DoesNotContain("routes failed after retries", markdown, StringComparison.Ordinal);
        Assert.Contains(", 0 left unfinished.", markdown, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Markdown)> RunAsync(string[] arguments)
    {
        var directory = Directory.CreateTempSubdirectory("omnichannel-chaos-test-");
        try
        {
            var report = Path.Combine(directory.FullName, "report.md");
            using var log = new StringWriter();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
            var exitCode = await LoadProgram.RunAsync([.. arguments, "--report", report], log, timeout.Token);
            var text = log.ToString();
            output.WriteLine(text);
            return (exitCode, File.Exists(report) ? await File.ReadAllTextAsync(report) : text);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static int Restarts(string markdown)
    {
        var match = ChaosLine().Match(markdown);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"Chaos: (\d+) silo restart")]
    private static partial Regex ChaosLine();
}

/// <summary>A chaos run starts a cluster of its own: nothing else beside it.</summary>
[CollectionDefinition(nameof(ChaosScenarioTests), DisableParallelization = true)]
public sealed class ChaosRunsAlone;
