using System.Text.RegularExpressions;
using Omnichannel.Routing.TestSupport;

namespace Omnichannel.Routing.LoadTests.Tests;

/// <summary>
/// A few seconds of the load program against a real host, so the program cannot rot: it must complete lifecycles,
/// pass its invariant audit and write its report. Timing is measured by the program, never asserted here.
/// </summary>
public sealed partial class LoadProgramSmokeTests
{
    [Fact]
    public async Task A_short_steady_run_completes_lifecycles_passes_the_audit_and_reports()
    {
        var directory = Directory.CreateTempSubdirectory("omnichannel-load-smoke-");
        try
        {
            var report = Path.Combine(directory.FullName, "report.md");
            var json = Path.Combine(directory.FullName, "report.json");
            using var output = new StringWriter();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

            var exitCode = await LoadProgram.RunAsync(
                [
                    "--scenario", "steady", "--rate", "50", "--agents", "20",
                    "--duration", "5s", "--warmup", "1s", "--ceiling-seconds", "1", "--ceiling-concurrency", "4",
                    "--idle-settle", "0s", "--idle-window", "1s",
                    "--handle-scale", "0.1", "--think-ms", "10", "--wrap-ms", "20", "--progress-seconds", "1",
                    "--no-build", "--host-dll", Path.GetFullPath(HostProcess.DefaultAssemblyPath),
                    "--report", report, "--json", json,
                ],
                output,
                timeout.Token);

            var text = output.ToString();
            Assert.True(exitCode == 0, $"exit code {exitCode}:\n{text}");
            Assert.True(File.Exists(report), text);
            Assert.True(File.Exists(json), text);
            var markdown = await File.ReadAllTextAsync(report);
            Assert.Contains("Invariant audit: **PASSED**", markdown, StringComparison.Ordinal);
            Assert.Contains("route→offer", markdown, StringComparison.Ordinal);
            Assert.Contains("Echo (bare gRPC)", markdown, StringComparison.Ordinal);
            // The idle figure says how it was taken; the host's own runtime counters were read over the window.
            Assert.Contains("measured over 1 s after a 0-s settle", markdown, StringComparison.Ordinal);
            Assert.Contains("host allocation per completed lifecycle", markdown, StringComparison.Ordinal);

            Assert.True(CompletedLifecycles().IsMatch(markdown), markdown);
            // Lifecycles were completed, as the audit found them in the engine (counted over the whole run: on a loaded
            // machine the 5-s window alone may end before the first one does).
            var completed = CompletedInteractions().Match(markdown);
            Assert.True(completed.Success, markdown);
            Assert.True(long.Parse(completed.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) > 0, markdown);

            // Progress lines were printed while it ran.
            Assert.Contains("lifecycles", text, StringComparison.Ordinal);
            Assert.Contains("] routes", text, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_bad_option_is_refused_with_its_name()
    {
        using var output = new StringWriter();
        var exitCode = await LoadProgram.RunAsync(["--rate", "fast"], output, CancellationToken.None);
        Assert.Equal(2, exitCode);
        Assert.Contains("--rate", output.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\*\*completed lifecycles\*\* .*\| \*\*([0-9,.]+)/s\*\*")]
    private static partial Regex CompletedLifecycles();

    [GeneratedRegex(@"final states: [^\n]*\bCompleted ([0-9,]+)")]
    private static partial Regex CompletedInteractions();
}
