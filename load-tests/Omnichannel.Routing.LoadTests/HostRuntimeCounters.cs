namespace Omnichannel.Routing.LoadTests;

/// <summary>What the host's .NET runtime had counted since it started, at one moment.</summary>
/// <param name="AllocatedBytes">Bytes allocated on the managed heap.</param>
/// <param name="Gen0Collections">Garbage collections that went no further than generation 0.</param>
/// <param name="Gen1Collections">Collections that went as far as generation 1.</param>
/// <param name="Gen2Collections">Collections of generation 2 (full collections).</param>
/// <param name="PauseSeconds">Time the runtime held every thread still for collections.</param>
internal readonly record struct RuntimeReading(long AllocatedBytes, long Gen0Collections, long Gen1Collections, long Gen2Collections, double PauseSeconds);

/// <summary>What the host's runtime did over the measured window.</summary>
/// <param name="AllocatedBytesPerLifecycle">Managed bytes allocated per completed lifecycle (null when none completed).</param>
/// <param name="AllocatedBytesPerSecond">Managed bytes allocated per second.</param>
/// <param name="Gen0Collections">Generation-0 collections in the window.</param>
/// <param name="Gen1Collections">Generation-1 collections in the window.</param>
/// <param name="Gen2Collections">Generation-2 (full) collections in the window.</param>
/// <param name="PauseSeconds">Time paused for collections in the window.</param>
internal sealed record RuntimeWindow(double? AllocatedBytesPerLifecycle, double AllocatedBytesPerSecond, long Gen0Collections, long Gen1Collections, long Gen2Collections, double PauseSeconds);

/// <summary>
/// Reads the host's own runtime counters from its Prometheus endpoint (<c>Host:MetricsPort</c>): the built-in
/// <c>System.Runtime</c> meter's total allocated bytes and collections by generation, so allocation per lifecycle is
/// measured in the very process that routes, with no profiler attached.
/// </summary>
internal sealed class HostRuntimeCounters(int metricsPort) : IDisposable
{
    // Names as the Prometheus exporter writes the meter's dotnet.gc.heap.total_allocated, dotnet.gc.collections (one
    // series per generation, each counting the collections that went as far as it) and dotnet.gc.pause.time.
    private const string AllocatedBytes = "dotnet_gc_heap_total_allocated_bytes_total";
    private const string Collections = "dotnet_gc_collections_total";
    private const string PauseTime = "dotnet_gc_pause_time_seconds_total";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The counters now; null when the endpoint does not answer or does not export them.</summary>
    public async Task<RuntimeReading?> ReadAsync(CancellationToken cancel)
    {
        try
        {
            return Parse(await _http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"), cancel).ConfigureAwait(false));
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The counters in one exposition; null when it lacks the allocation counter (no runtime metrics exported).</summary>
    internal static RuntimeReading? Parse(string exposition) =>
        PrometheusExposition.Has(exposition, AllocatedBytes)
            ? new RuntimeReading(
                PrometheusExposition.Sum(exposition, AllocatedBytes),
                PrometheusExposition.Sum(exposition, Collections, "gc_heap_generation=\"gen0\""),
                PrometheusExposition.Sum(exposition, Collections, "gc_heap_generation=\"gen1\""),
                PrometheusExposition.Sum(exposition, Collections, "gc_heap_generation=\"gen2\""),
                PrometheusExposition.Total(exposition, PauseTime))
            : null;

    /// <summary>The difference of two readings over a window of <paramref name="length"/> in which <paramref name="lifecycles"/> completed.</summary>
    internal static RuntimeWindow WindowOf(RuntimeReading start, RuntimeReading end, TimeSpan length, long lifecycles)
    {
        var allocated = end.AllocatedBytes - start.AllocatedBytes;
        return new RuntimeWindow(
            lifecycles > 0 ? (double)allocated / lifecycles : null,
            allocated / length.TotalSeconds,
            end.Gen0Collections - start.Gen0Collections,
            end.Gen1Collections - start.Gen1Collections,
            end.Gen2Collections - start.Gen2Collections,
            end.PauseSeconds - start.PauseSeconds);
    }

    public void Dispose() => _http.Dispose();
}
