using System.Diagnostics;
using System.Globalization;

namespace Omnichannel.Routing.Deploy.Tests;

/// <summary>
/// A cluster brought up by <c>deploy/local-cluster.sh up N</c> in a state directory of its own, as a user would run
/// it; brought down by the same script (also when a test fails on the way).
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(8);
    private bool _down;

    private LocalCluster(string stateDirectory)
    {
        StateDirectory = stateDirectory;
    }

    public string StateDirectory { get; }

    /// <summary>The silos' gRPC addresses, in silo order, as the script printed them.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public IReadOnlyList<int> SiloProcessIds { get; private set; } = [];

    /// <summary>What names this cluster's processes on their command lines: its Orleans cluster id and its directory.</summary>
    public IReadOnlyList<string> Markers { get; private set; } = [];

    public static async Task<LocalCluster> UpAsync(int silos)
    {
        var cluster = new LocalCluster(Path.Combine(Path.GetTempPath(), $"omnichannel-deploy-tests-{Guid.NewGuid():N}"));
        var up = await cluster.RunAsync("up", silos.ToString(CultureInfo.InvariantCulture));
        Assert.True(up.ExitCode == 0, $"local-cluster.sh up failed: {up}");
        cluster.Addresses = [.. up.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        cluster.SiloProcessIds = [.. Enumerable.Range(1, silos).Select(i => int.Parse(File.ReadAllText(Path.Combine(cluster.StateDirectory, $"silo-{i}", "pid")).Trim(), CultureInfo.InvariantCulture))];
        cluster.Markers = [File.ReadAllText(Path.Combine(cluster.StateDirectory, "cluster-id")).Trim(), cluster.StateDirectory];
        return cluster;
    }

    public Task<CommandRun> StatusAsync() => RunAsync("status");

    public async Task<CommandRun> DownAsync()
    {
        _down = true;
        return await RunAsync("down");
    }

    /// <summary>SIGKILL, as a crash, an OOM kill or a lost node ends a silo: no stop, no goodbye to the cluster.</summary>
    public void KillSilo(int index)
    {
        using var silo = Process.GetProcessById(SiloProcessIds[index]);
        silo.Kill();
        silo.WaitForExit();
    }

    /// <summary>Processes still running that belong to this cluster (by their command line or working directory).</summary>
    public IReadOnlyList<string> LeftoverProcesses()
    {
        var found = new List<string>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ');
                var workingDirectory = new DirectoryInfo(Path.Combine(entry, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName ?? string.Empty;
                if (Markers.Any(m => commandLine.Contains(m, StringComparison.Ordinal)) || workingDirectory.StartsWith(StateDirectory, StringComparison.Ordinal))
                {
                    found.Add($"{pid}: {commandLine}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being read, or is not ours to read.
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_down)
        {
            await DownAsync();
        }
    }

    private Task<CommandRun> RunAsync(params string[] arguments) =>
        CommandRun.RunAsync(
            Repository.PathOf(Path.Combine("deploy", "local-cluster.sh")),
            arguments,
            ScriptTimeout,
            new Dictionary<string, string> { ["OMNICHANNEL_CLUSTER_DIR"] = StateDirectory, ["CONFIGURATION"] = Repository.Configuration });
}

/// <summary>Local clusters start real processes: one at a time, not beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneLocalClusterAtATime
{
    public const string Name = "local cluster";
}
