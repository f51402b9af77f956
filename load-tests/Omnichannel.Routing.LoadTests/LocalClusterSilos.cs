using System.Diagnostics;
using System.Globalization;
using Omnichannel.Routing.TestSupport;

namespace Omnichannel.Routing.LoadTests;

/// <summary>
/// A cluster of silos on this machine run by <c>deploy/local-cluster.sh</c> (the same script a user runs), in a state
/// directory of its own: brought up, one silo at a time killed or stopped and started again, brought down.
/// </summary>
internal sealed class LocalClusterSilos : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(8);
    private readonly string _script;
    private readonly Dictionary<string, string> _environment;

    private LocalClusterSilos(string repository, string stateDirectory)
    {
        _script = Path.Combine(repository, "deploy", "local-cluster.sh");
        StateDirectory = stateDirectory;
        _environment = new Dictionary<string, string> { ["OMNICHANNEL_CLUSTER_DIR"] = stateDirectory, ["CONFIGURATION"] = "Release" };
    }

    public string StateDirectory { get; }

    /// <summary>The silos' gRPC addresses, in silo order.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public static async Task<LocalClusterSilos> UpAsync(string repository, int silos, CancellationToken cancel)
    {
        var cluster = new LocalClusterSilos(repository, Path.Combine(Path.GetTempPath(), $"omnichannel-chaos-{Guid.NewGuid():N}"));
        try
        {
            var up = await cluster.RunAsync(cancel, "up", silos.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            cluster.Addresses = [.. up.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Ends silo <paramref name="index"/> (0-based) — SIGKILL, or SIGTERM and its graceful stop — and starts it again
    /// on the same ports; answers when it is SERVING again, with how long it was away.
    /// </summary>
    public async Task<TimeSpan> RestartAsync(int index, Disruption how, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        string[] arguments = how == Disruption.Kill
            ? ["restart", (index + 1).ToString(CultureInfo.InvariantCulture), "--kill"]
            : ["restart", (index + 1).ToString(CultureInfo.InvariantCulture)];
        await RunAsync(cancel, arguments).ConfigureAwait(false);
        return clock.Elapsed;
    }

    /// <summary>Each silo's resident memory now, in silo order (null for one that cannot be read).</summary>
    public IReadOnlyList<long?> ResidentMemory() =>
        [.. Enumerable.Range(1, Addresses.Count).Select(i => ProcessOf(i)?.RssBytes)];

    /// <summary>The PostgreSQL the cluster's membership, state and event log live in.</summary>
    public string ConnectionString => File.ReadAllText(Path.Combine(StateDirectory, "pg", "connection-string")).Trim();

    /// <summary>Silo <paramref name="silo"/>'s (1-based) process now; null when it is not running.</summary>
    public ProcessReading? ProcessOf(int silo) => PidOf(silo) is { } pid ? ProcessSampler.Read(pid) : null;

    /// <summary>The port of silo <paramref name="silo"/>'s (1-based) Prometheus endpoint, as the script chose it.</summary>
    public int? MetricsPortOf(int silo)
    {
        var ports = Path.Combine(StateDirectory, $"silo-{silo}", "ports");
        var line = File.Exists(ports) ? File.ReadLines(ports).FirstOrDefault(l => l.StartsWith("metrics=", StringComparison.Ordinal)) : null;
        return int.TryParse(line?["metrics=".Length..], CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    /// <summary>Silos that are not running now (0-based), each with the end of its log: a silo that died unasked.</summary>
    public IReadOnlyList<(int Silo, string LogTail)> ExitedSilos()
    {
        var exited = new List<(int, string)>();
        for (var i = 1; i <= Addresses.Count; i++)
        {
            var directory = Path.Combine(StateDirectory, $"silo-{i}");
            if (PidOf(i) is { } pid && ProcessSampler.Read(pid) is null)
            {
                var log = Path.Combine(directory, "log");
                exited.Add((i - 1, File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no log)"));
            }
        }

        return exited;
    }

    private int? PidOf(int silo)
    {
        var pidFile = Path.Combine(StateDirectory, $"silo-{silo}", "pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(StateDirectory))
        {
            await RunAsync(CancellationToken.None, "down").ConfigureAwait(false);
        }
    }

    private Task<CommandOutput> RunAsync(CancellationToken cancel, params string[] arguments) =>
        ExternalCommand.RunAsync(_script, arguments, ScriptTimeout, _environment, cancel);
}
