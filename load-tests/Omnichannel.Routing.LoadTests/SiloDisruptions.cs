using System.Diagnostics;

namespace Omnichannel.Routing.LoadTests;

/// <summary>How the chaos scenario takes a silo away.</summary>
internal enum Disruption
{
    /// <summary>SIGKILL, as a crash, an OOM kill or a lost node does: no goodbye to the cluster.</summary>
    Kill,

    /// <summary>SIGTERM and the silo's graceful stop, as a rolling update does.</summary>
    Term,

    /// <summary>Nothing: the cluster under load as it is (scale-out figures, and no silo wrongly declared dead).</summary>
    None,
}

/// <summary>One silo taken away and brought back.</summary>
/// <param name="Silo">0-based index.</param>
/// <param name="At">Since the disruptions began.</param>
/// <param name="Away">From the signal until it was SERVING again.</param>
internal sealed record SiloOutage(int Silo, TimeSpan At, TimeSpan Away);

/// <summary>
/// The chaos: while the load runs, one silo at a time is killed (or stopped) and started again, the next one a
/// random 20–30 s later (or every <c>--kill-every</c>), round the cluster — the shape of Orleans' own elastic chaos
/// tests. Each restart waits for the silo to be SERVING before the next pause begins.
/// </summary>
internal sealed class SiloDisruptions(LocalClusterSilos cluster, Disruption how, TimeSpan? every, int seed)
{
    private readonly List<SiloOutage> _outages = [];
    private readonly Random _random = new(seed);

    public IReadOnlyList<SiloOutage> Outages => _outages;

    /// <summary>Disrupts silos until <paramref name="stop"/>; a restart under way when it comes is finished first.</summary>
    public async Task RunAsync(Action<string> log, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (how == Disruption.None)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        for (var next = 0; ; next = (next + 1) % cluster.Addresses.Count)
        {
            try
            {
                await Task.Delay(Pause(), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var at = clock.Elapsed;
            log($"chaos: {(how == Disruption.Kill ? "SIGKILL" : "SIGTERM")} silo {next + 1} at {at.TotalSeconds:0} s");
            var away = await cluster.RestartAsync(next, how, CancellationToken.None).ConfigureAwait(false);
            _outages.Add(new SiloOutage(next, at, away));
            log($"chaos: silo {next + 1} SERVING again after {away.TotalSeconds:0.0} s");
        }
    }

    private TimeSpan Pause() => every ?? TimeSpan.FromSeconds(20 + (10 * _random.NextDouble()));
}
