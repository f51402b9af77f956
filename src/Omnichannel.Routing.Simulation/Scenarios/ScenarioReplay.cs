using System.Globalization;

namespace Omnichannel.Routing.Simulation.Scenarios;

/// <summary>
/// A scenario moved onto a real day: its day becomes the range the arrivals came from, and every arrival stream
/// replays that stream's queue and channel from the arrivals file (<c>time,queue,channel</c>, as
/// <c>omnichannel report --arrivals</c> and <c>simulate --replay-from</c> write it) instead of drawing its own. Queues,
/// agents, durations and variants stay as the scenario has them: they are the configuration being tried.
/// </summary>
public static class ScenarioReplay
{
    /// <summary>A copy of <paramref name="scenario"/> (and of its variants) replaying <paramref name="arrivalsFile"/> over [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static Scenario Of(Scenario scenario, string arrivalsFile, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentException.ThrowIfNullOrEmpty(arrivalsFile);
        if (to <= from)
        {
            throw new ScenarioException("replay: the end of the replayed range must come after its start");
        }

        var copy = ScenarioVariants.Copy(scenario);
        copy.Name = scenario.Name + " (replayed)";
        copy.Start = from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        copy.Hours = (to - from).TotalHours;
        foreach (var arrival in copy.Arrivals)
        {
            arrival.PerHour = null;
            arrival.PerInterval = null;
            arrival.Replay = Path.GetFullPath(arrivalsFile);
        }

        ScenarioLoader.Validate(copy);
        return copy;
    }

    /// <summary>The queue and channel pairs of an arrivals file that no stream of <paramref name="scenario"/> replays: their arrivals are left out.</summary>
    public static IReadOnlyList<string> Unmatched(Scenario scenario, string arrivalsFile)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var streams = scenario.Arrivals.Select(a => (a.Queue, a.Channel)).ToHashSet();
        return [.. File.ReadLines(arrivalsFile)
            .Select(line => line.Split(','))
            .Where(cells => cells.Length >= 3 && DateTimeOffset.TryParse(cells[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            .Select(cells => (Queue: cells[1].Trim(), Channel: cells[2].Trim()))
            .Where(pair => !streams.Contains(pair))
            .Distinct()
            .Select(pair => $"{pair.Queue}/{pair.Channel}")
            .Order(StringComparer.Ordinal)];
    }
}
