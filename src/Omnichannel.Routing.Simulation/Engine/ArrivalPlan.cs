using System.Globalization;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Engine;

/// <summary>One planned arrival: when, from which stream of the scenario, and its number within the stream.</summary>
internal readonly record struct PlannedArrival(DateTimeOffset Time, int Stream, int Number);

/// <summary>
/// The day's arrivals, drawn before the day runs: each stream from its own random source (Poisson, piecewise
/// constant per interval) or read from its replay file, so the arrivals do not depend on routing.
/// </summary>
internal static class ArrivalPlan
{
    public static List<PlannedArrival> Draw(Scenario scenario, int seed)
    {
        var start = scenario.StartTime;
        var end = scenario.EndTime;
        var interval = TimeSpan.FromMinutes(scenario.IntervalMinutes);
        var arrivals = new List<PlannedArrival>();
        for (var s = 0; s < scenario.Arrivals.Count; s++)
        {
            var spec = scenario.Arrivals[s];
            var times = spec.Replay is { } file
                ? Replayed(file, spec, start, end)
                : Poisson(spec, start, end, interval, new Random(StreamSeed(seed, s, -1)));
            arrivals.AddRange(times.Select((t, n) => new PlannedArrival(t, s, n)));
        }

        arrivals.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Stream != b.Stream ? a.Stream.CompareTo(b.Stream) : a.Number.CompareTo(b.Number));
        return arrivals;
    }

    /// <summary>A seed for one stream's arrivals (number -1) or for one customer's draws, fixed by the run's seed.</summary>
    /// <remarks>A fixed mix (SplitMix64's finaliser), not <see cref="HashCode"/>, whose results change from process to process.</remarks>
    public static int StreamSeed(int seed, int stream, int number)
    {
        unchecked
        {
            var x = ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)(stream + 1) * 0xBF58476D1CE4E5B9UL) ^ ((ulong)(uint)(number + 2) * 0x94D049BB133111EBUL);
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
            return (int)(x & int.MaxValue);
        }
    }

    private static List<DateTimeOffset> Poisson(ArrivalSpec spec, DateTimeOffset start, DateTimeOffset end, TimeSpan interval, Random random)
    {
        var times = new List<DateTimeOffset>();
        var index = 0;
        for (var from = start; from < end; from += interval, index++)
        {
            var to = from + interval < end ? from + interval : end;
            var expected = spec.PerHour is { } perHour
                ? perHour * (to - from).TotalHours
                : spec.PerInterval is { } counts && index < counts.Count ? counts[index] : 0;
            if (expected <= 0)
            {
                continue;
            }

            // Exponential gaps at this interval's rate; memorylessness lets each interval start afresh.
            var rate = expected / (to - from).TotalSeconds;
            var t = from;
            while (true)
            {
                t += TimeSpan.FromSeconds(-Math.Log(1 - random.NextDouble()) / rate);
                if (t >= to)
                {
                    break;
                }

                times.Add(t);
            }
        }

        return times;
    }

    /// <summary>
    /// The timestamps of the file's first column that fall in the day; a header line or blank lines are skipped. A
    /// file with queue and channel columns (as <c>omnichannel report --arrivals</c> writes) gives this stream only
    /// its own queue's and channel's arrivals.
    /// </summary>
    private static List<DateTimeOffset> Replayed(string file, ArrivalSpec spec, DateTimeOffset start, DateTimeOffset end)
    {
        if (!File.Exists(file))
        {
            throw new ScenarioException($"arrivals.replay: '{file}' does not exist");
        }

        var times = new List<DateTimeOffset>();
        foreach (var line in File.ReadLines(file))
        {
            var cells = line.Split(',');
            if (cells.Length >= 3 && (cells[1].Trim() != spec.Queue || cells[2].Trim() != spec.Channel))
            {
                continue;
            }

            if (DateTimeOffset.TryParse(cells[0].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t >= start && t < end)
            {
                times.Add(t);
            }
        }

        times.Sort();
        return times;
    }
}
