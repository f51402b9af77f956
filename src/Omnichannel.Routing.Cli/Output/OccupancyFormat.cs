using Omnichannel.Routing.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Omnichannel.Routing.Cli.Output;

/// <summary>The table columns, rows and one-line forms of <see cref="AgentOccupancy"/>. Pure: the current time is a parameter.</summary>
internal static class OccupancyFormat
{
    /// <summary>The columns of an occupancy table; <see cref="Row"/> fills them.</summary>
    public static TableLayout AgentTable { get; } = new(
    [
        new("AGENT"),
        new("SIGNED IN"),
        new("PRESENCE"),
        new("ACTIVITY"),
        new("IN STATE", AlignRight: true),
        new("LOAD"),
        new("UNITS", AlignRight: true),
        new("OCC 15M", AlignRight: true),
        new("OCC DAY", AlignRight: true),
        new("HANDLED"),
    ]);

    /// <summary>One agent's row of <see cref="AgentTable"/>; <c>IN STATE</c> is the time from <c>state_since</c> to <paramref name="now"/>.</summary>
    public static IReadOnlyList<string> Row(AgentOccupancy occupancy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(occupancy);
        return
        [
            occupancy.AgentId,
            occupancy.SignedIn ? "yes" : "no",
            TextFormat.Name(occupancy.Presence),
            TextFormat.Name(occupancy.Activity),
            StatsFormat.Elapsed(occupancy.StateSince, now),
            Loads(occupancy, ", "),
            Units(occupancy),
            StatsFormat.Percent(occupancy.OccupancyPercent15M),
            StatsFormat.Percent(occupancy.OccupancyPercentDay),
            Handled(occupancy, ", "),
        ];
    }

    /// <summary>One agent's occupancy on one line, for a stream written to a file or a pipe.</summary>
    public static string Line(AgentOccupancy occupancy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(occupancy);
        var parts = new List<string>
        {
            occupancy.AgentId,
            occupancy.SignedIn ? "signed-in" : "signed-out",
            $"presence={TextFormat.Name(occupancy.Presence)}",
            $"activity={TextFormat.Name(occupancy.Activity)}",
            $"in-state={StatsFormat.Elapsed(occupancy.StateSince, now)}",
            $"units={Units(occupancy)}",
            $"occupancy-15m={StatsFormat.Percent(occupancy.OccupancyPercent15M)}",
            $"occupancy-day={StatsFormat.Percent(occupancy.OccupancyPercentDay)}",
        };
        if (occupancy.Loads.Count > 0)
        {
            parts.Add($"load={Loads(occupancy, ",").Replace(' ', ':')}");
        }

        if (occupancy.Handling.Count > 0)
        {
            parts.Add($"handled={Handled(occupancy, ",").Replace(' ', ':')}");
        }

        return string.Join("  ", parts);
    }

    /// <summary>One agent in detail: the agent's table row, then what the table leaves out.</summary>
    public static IRenderable View(AgentOccupancy occupancy, DateTimeOffset now) =>
        new Rows(AgentTable.Build([Row(occupancy, now)]), new Text(Details(occupancy)));

    /// <summary>
    /// What the table leaves out, for one agent: time in each presence and activity today, and per channel the
    /// interactions handled with their average handle and wrap-up time.
    /// </summary>
    public static string Details(AgentOccupancy occupancy)
    {
        ArgumentNullException.ThrowIfNull(occupancy);
        static string Times(IEnumerable<StateTime> times) =>
            string.Join(", ", times.Select(t => $"{t.State} {StatsFormat.Duration(t.Duration)}")) is { Length: > 0 } text ? text : StatsFormat.Unset;

        var handling = string.Join(
            "; ",
            occupancy.Handling.Select(h =>
                $"{h.Channel} {StatsFormat.Number(h.Handled)} handled, avg handle {StatsFormat.Duration(h.AverageHandleTime)}, avg wrap-up {StatsFormat.Duration(h.AverageWrapUpTime)}"));
        return string.Join(
            Environment.NewLine,
            $"state since:    {(occupancy.StateSince is null ? StatsFormat.Unset : TextFormat.Time(occupancy.StateSince))}",
            $"presence time:  {Times(occupancy.PresenceTime)}",
            $"activity time:  {Times(occupancy.ActivityTime)}",
            $"handling:       {(handling.Length > 0 ? handling : StatsFormat.Unset)}");
    }

    private static string Loads(AgentOccupancy occupancy, string separator) =>
        string.Join(separator, occupancy.Loads.Select(l => $"{l.Channel} {StatsFormat.Number(l.Active)}/{StatsFormat.Number(l.MaxConcurrent)}"));

    private static string Handled(AgentOccupancy occupancy, string separator) =>
        string.Join(separator, occupancy.Handling.Select(h => $"{h.Channel} {StatsFormat.Number(h.Handled)}"));

    private static string Units(AgentOccupancy occupancy) =>
        occupancy.UnitsTotal == 0 && occupancy.UnitsUsed == 0
            ? StatsFormat.Unset
            : $"{StatsFormat.Number(occupancy.UnitsUsed)}/{StatsFormat.Number(occupancy.UnitsTotal)}";
}
