using System.Diagnostics;

namespace Omnichannel.Routing.LoadTests;

/// <summary>
/// The line printed every few seconds while the load runs: rates over the last interval, route→offer percentiles of
/// the interval, the backlog of unanswered routes, and the host's memory and CPU, so a run that goes wrong shows it
/// while it happens.
/// </summary>
internal sealed class ProgressLine : IAsyncDisposable
{
    private readonly TextWriter _out;
    private readonly HostWatch _host;
    private readonly Func<RunMetrics> _metrics;
    private readonly Func<long> _inFlight;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ProgressLine(TextWriter output, HostWatch host, Func<RunMetrics> metrics, Func<long> inFlight, TimeSpan period)
    {
        _out = output;
        _host = host;
        _metrics = metrics;
        _inFlight = inFlight;
        _loop = LoopAsync(period);
    }

    public string Phase { get; set; } = "start";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(TimeSpan period)
    {
        using var timer = new PeriodicTimer(period);
        RunMetrics? last = null;
        long routed = 0, offers = 0, lifecycles = 0, rpcs = 0, errors = 0;
        var host = _host.Now();
        var client = ProcessSampler.Self();
        var at = _clock.Elapsed;
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            var m = _metrics();
            var now = _clock.Elapsed;
            if (!ReferenceEquals(m, last))
            {
                // A new phase started with fresh counters: rates count from the next tick on.
                routed = m.Routed;
                offers = m.Offers;
                lifecycles = m.Lifecycles;
                rpcs = m.Rpcs;
                errors = m.ErrorCount;
                last = m;
                host = _host.Now();
                client = ProcessSampler.Self();
                at = now;
                m.RouteToOffer.Tick();
                continue;
            }

            var seconds = (now - at).TotalSeconds;
            var hostNow = _host.Now();
            var clientNow = ProcessSampler.Self();
            var interval = m.RouteToOffer.Tick();
            var line = FormattableString.Invariant(
                $"[{now.TotalSeconds,5:0}s {Phase,-8}] routes {(m.Routed - routed) / seconds,6:0}/s  offers {(m.Offers - offers) / seconds,6:0}/s  lifecycles {(m.Lifecycles - lifecycles) / seconds,6:0}/s  RPC {(m.Rpcs - rpcs) / seconds,6:0}/s  errors {m.ErrorCount - errors,4}  in flight {_inFlight(),5}  route→offer p50 {interval.P50,6:0.00} p99 {interval.P99,7:0.00} ms")
                + (hostNow is { } h && host is { } h0 ? FormattableString.Invariant($"  host {h.RssBytes / 1048576.0,5:0} MB cpu {(h.CpuSeconds - h0.CpuSeconds) / seconds * 100,4:0}%") : string.Empty)
                + FormattableString.Invariant($"  client cpu {(clientNow.CpuSeconds - client.CpuSeconds) / seconds * 100,4:0}%");
            lock (_out)
            {
                _out.WriteLine(line);
                _out.Flush();
            }

            routed = m.Routed;
            offers = m.Offers;
            lifecycles = m.Lifecycles;
            rpcs = m.Rpcs;
            errors = m.ErrorCount;
            host = hostNow;
            client = clientNow;
            at = now;
        }
    }
}
