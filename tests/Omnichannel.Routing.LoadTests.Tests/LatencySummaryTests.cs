using HdrHistogram;

namespace Omnichannel.Routing.LoadTests.Tests;

public sealed class LatencySummaryTests
{
    [Fact]
    public void The_maximum_is_the_highest_recorded_latency_to_the_histogram_precision()
    {
        var histogram = new LongHistogram(1, 3_600_000_000, 3);
        foreach (var micros in new long[] { 900, 4_100, 4_200, 75_460, 133_250 })
        {
            histogram.RecordValue(micros);
        }

        var summary = LatencySummary.Of(histogram);

        Assert.Equal(5, summary.Count);
        Assert.InRange(summary.Max, 133.25, 133.25 * 1.001);
        Assert.InRange(summary.P50, 4.2, 4.2 * 1.001);
    }

    [Fact]
    public void A_recorder_read_every_tick_summarises_each_interval_and_the_whole_run()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(TimeSpan.FromMilliseconds(3));
        recorder.Record(TimeSpan.FromMilliseconds(40));

        var first = recorder.Tick();
        var empty = recorder.Tick();
        recorder.Record(TimeSpan.FromMilliseconds(7));
        var total = recorder.Total();

        Assert.Equal(2, first.Count);
        Assert.InRange(first.Max, 40, 40 * 1.001);
        Assert.Equal(0, empty.Count);
        Assert.Equal(3, total.Count);
        Assert.InRange(total.Max, 40, 40 * 1.001);
    }
}
