namespace Omnichannel.Routing.LoadTests.Tests;

public sealed class HostRuntimeCountersTests
{
    // As the host's Prometheus endpoint writes the System.Runtime meter (taken from a running host).
    private const string Exposition = """
        # TYPE dotnet_gc_collections_total counter
        # HELP dotnet_gc_collections_total The number of garbage collections that have occurred since the process has started.
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen2"} 6
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen1"} 1
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 2
        # TYPE dotnet_gc_heap_total_allocated_bytes_total counter
        dotnet_gc_heap_total_allocated_bytes_total{otel_scope_name="System.Runtime"} 75435032
        # TYPE dotnet_gc_last_collection_heap_size_bytes gauge
        dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 1508224
        # TYPE dotnet_gc_pause_time_seconds_total counter
        dotnet_gc_pause_time_seconds_total{otel_scope_name="System.Runtime"} 0.470749
        """;

    [Fact]
    public void A_reading_takes_the_allocated_bytes_the_collections_of_each_generation_and_the_pause_time()
    {
        var reading = HostRuntimeCounters.Parse(Exposition);

        Assert.NotNull(reading);
        Assert.Equal((75435032L, 2L, 1L, 6L), (reading.Value.AllocatedBytes, reading.Value.Gen0Collections, reading.Value.Gen1Collections, reading.Value.Gen2Collections));
        Assert.Equal(0.470749, reading.Value.PauseSeconds, 6);
    }

    [Fact]
    public void An_endpoint_without_runtime_metrics_gives_no_reading()
    {
        Assert.Null(HostRuntimeCounters.Parse("routing_queue_depth{queue=\"q\"} 3\n"));
    }

    [Fact]
    public void Allocation_per_lifecycle_is_the_bytes_allocated_in_the_window_over_the_lifecycles_completed_in_it()
    {
        var start = new RuntimeReading(1_000_000, 10, 2, 1, 0.5);
        var end = new RuntimeReading(21_000_000, 30, 5, 1, 0.75);

        var window = HostRuntimeCounters.WindowOf(start, end, TimeSpan.FromSeconds(10), lifecycles: 400);

        Assert.Equal(50_000, window.AllocatedBytesPerLifecycle);
        Assert.Equal(2_000_000, window.AllocatedBytesPerSecond);
        Assert.Equal((20L, 3L, 0L), (window.Gen0Collections, window.Gen1Collections, window.Gen2Collections));
        Assert.Equal(0.25, window.PauseSeconds, 6);
        Assert.Null(HostRuntimeCounters.WindowOf(start, end, TimeSpan.FromSeconds(10), lifecycles: 0).AllocatedBytesPerLifecycle);
    }
}
