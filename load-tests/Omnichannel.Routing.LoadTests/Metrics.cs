using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using HdrHistogram;

namespace Omnichannel.Routing.LoadTests;

/// <summary>Percentiles of one latency distribution, in milliseconds.</summary>
internal sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static LatencySummary Of(HistogramBase h)
    {
        ArgumentNullException.ThrowIfNull(h);
        if (h.TotalCount == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }

        static double Ms(long micros) => micros / 1000.0;
        return new LatencySummary(
            h.TotalCount,
            Ms(h.GetValueAtPercentile(50)),
            Ms(h.GetValueAtPercentile(90)),
            Ms(h.GetValueAtPercentile(99)),
            Ms(h.GetValueAtPercentile(99.9)),
            // Not GetMaxValue: it walks the recorded values with an enumerator that can throw
            // ArgumentOutOfRangeException at the end of a run (seen 2026-12-01); the 100th percentile is the same
            // bucket's highest value, read by a plain loop over the counts.
            Ms(h.GetValueAtPercentile(100)),
            h.GetMean() / 1000.0);
    }
}

/// <summary>
/// One latency, recorded from many threads into an HdrHistogram <see cref="Recorder"/> (microseconds, 3 significant
/// digits, up to an hour). Each progress tick takes the interval and adds it to the phase's total, so the progress
/// line shows the last few seconds and the report the whole measured phase.
/// </summary>
internal sealed class LatencyRecorder
{
    private const long Highest = 3_600_000_000;
    private readonly Recorder _recorder = new(1, Highest, 3, (id, low, high, digits) => new LongHistogram(id, low, high, digits));
    private readonly LongHistogram _total = new(1, Highest, 3);
    private readonly Lock _gate = new();
    private HistogramBase? _interval;

    public void Record(TimeSpan elapsed) => _recorder.RecordValue(Math.Clamp((long)(elapsed.Ticks / 10.0), 1, Highest));

    public void RecordTicks(long stopwatchTicks) => Record(Stopwatch.GetElapsedTime(0, Math.Max(0, stopwatchTicks)));

    /// <summary>Moves what was recorded since the last call into the total; answers that interval.</summary>
    public LatencySummary Tick()
    {
        lock (_gate)
        {
            _interval = _recorder.GetIntervalHistogram(_interval);
            _total.Add(_interval);
            return LatencySummary.Of(_interval);
        }
    }

    /// <summary>Everything recorded since the last reset.</summary>
    public LatencySummary Total()
    {
        lock (_gate)
        {
            _interval = _recorder.GetIntervalHistogram(_interval);
            _total.Add(_interval);
            return LatencySummary.Of(_total);
        }
    }

    /// <summary>Drops everything recorded so far (the end of warm-up).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _interval = _recorder.GetIntervalHistogram(_interval);
            _total.Reset();
        }
    }
}

/// <summary>
/// The figures of one phase: latencies, counts and failures by status code. Every method is safe from any thread.
/// </summary>
internal sealed class RunMetrics
{
    private readonly ConcurrentDictionary<string, LatencyRecorder> _latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _rpcOk = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Rpc, StatusCode Code), long> _errors = new();
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);
    private long _rpcs;
    private long _lifecycles;
    private long _routed;
    private long _offers;

    /// <summary>Route sent (at its intended time) to the offer of that interaction on the agent's stream.</summary>
    public LatencyRecorder RouteToOffer { get; } = new();

    /// <summary>RouteInteraction from its intended send time to its answer (no coordinated omission).</summary>
    public LatencyRecorder RouteFromIntended { get; } = new();

    /// <summary>How late the client sent each arrival after its intended time: the client's own lag.</summary>
    public LatencyRecorder SendLag { get; } = new();

    /// <summary>Route sent to the agent's wrap-up end: the whole lifecycle, think and handle time included.</summary>
    public LatencyRecorder Lifecycle { get; } = new();

    public long Rpcs => Interlocked.Read(ref _rpcs);

    public long Lifecycles => Interlocked.Read(ref _lifecycles);

    public long Routed => Interlocked.Read(ref _routed);

    public long Offers => Interlocked.Read(ref _offers);

    public long ErrorCount => _errors.Values.Sum();

    public LatencyRecorder Rpc(string name) => _latencies.GetOrAdd(name, static _ => new LatencyRecorder());

    /// <summary>An RPC answered OK after <paramref name="elapsed"/>.</summary>
    public void RpcOk(string name, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _rpcs);
        _rpcOk.AddOrUpdate(name, 1, static (_, n) => n + 1);
        Rpc(name).Record(elapsed);
    }

    public void RpcFailed(string name, StatusCode code) => _errors.AddOrUpdate((name, code), 1, static (_, n) => n + 1);

    public void Count(string counter, long by = 1) => _counters.AddOrUpdate(counter, by, (_, n) => n + by);

    public void RoutedOk() => Interlocked.Increment(ref _routed);

    public void Offered() => Interlocked.Increment(ref _offers);

    public void LifecycleDone() => Interlocked.Increment(ref _lifecycles);

    public IReadOnlyDictionary<string, LatencySummary> RpcLatencies() =>
        _latencies.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value.Total(), StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> RpcCounts() => new SortedDictionary<string, long>(_rpcOk, StringComparer.Ordinal);

    public IReadOnlyList<(string Rpc, StatusCode Code, long Count)> Errors() =>
        _errors.Select(kv => (kv.Key.Rpc, kv.Key.Code, kv.Value)).OrderBy(e => e.Rpc, StringComparer.Ordinal).ThenBy(e => e.Code).ToList();

    public IReadOnlyDictionary<string, long> Counters() => new SortedDictionary<string, long>(_counters, StringComparer.Ordinal);

    /// <summary>Starts the measured phase afresh: latencies and counts recorded during warm-up are dropped.</summary>
    public void Reset()
    {
        RouteToOffer.Reset();
        RouteFromIntended.Reset();
        SendLag.Reset();
        Lifecycle.Reset();
        foreach (var recorder in _latencies.Values)
        {
            recorder.Reset();
        }

        _rpcOk.Clear();
        _errors.Clear();
        _counters.Clear();
        Interlocked.Exchange(ref _rpcs, 0);
        Interlocked.Exchange(ref _lifecycles, 0);
        Interlocked.Exchange(ref _routed, 0);
        Interlocked.Exchange(ref _offers, 0);
    }
}
