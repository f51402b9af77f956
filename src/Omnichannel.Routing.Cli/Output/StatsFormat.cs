using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Omnichannel.Routing.Cli.Output;

/// <summary>
/// How statistics read: waits and handle times as <c>12.3s</c> or <c>1m05s</c>, percentages with one decimal, and
/// the table columns, rows and one-line forms of <see cref="QueueStats"/> and <see cref="RebalanceResponse"/>.
/// Pure functions: the current time is a parameter wherever it matters.
/// </summary>
internal static class StatsFormat
{
    /// <summary>Shown for a value the engine left unset.</summary>
    public const string Unset = "-";

    /// <summary>The columns of a queue statistics table; <see cref="QueueRow"/> fills them.</summary>
    public static TableLayout QueueTable { get; } = new(
    [
        new("QUEUE"),
        new("STATE"),
        new("WAITING", AlignRight: true),
        new("OFFERED", AlignRight: true),
        new("CONNECTED", AlignRight: true),
        new("LONGEST", AlignRight: true),
        new("AVG WAIT", AlignRight: true),
        new("SERVICE LEVEL", AlignRight: true),
        new("ABANDONED", AlignRight: true),
        new("ELIG/AVAIL", AlignRight: true),
        new("EST WAIT", AlignRight: true),
    ]);

    /// <summary>The columns of a rebalancing impact table; <see cref="ImpactRow"/> fills them.</summary>
    public static TableLayout ImpactTable { get; } = new(
    [
        new("QUEUE"),
        new("WAITING", AlignRight: true),
        new("EST WAIT", AlignRight: true),
        new("SERVICE LEVEL", AlignRight: true),
        new("AGENTS", AlignRight: true),
    ]);

    /// <summary>
    /// A wait or handle time: <c>0s</c>, <c>0.4s</c>, <c>12.3s</c> under a minute (tenths), then <c>1m05s</c> and
    /// <c>1h02m05s</c> (whole seconds).
    /// </summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Duration(duration.Negate());
        }

        var tenths = Math.Round(duration.TotalSeconds * 10, MidpointRounding.AwayFromZero) / 10;
        if (tenths < 60)
        {
            return tenths == 0 ? "0s" : string.Create(CultureInfo.InvariantCulture, $"{tenths:0.0}s");
        }

        var seconds = (long)Math.Round(duration.TotalSeconds, MidpointRounding.AwayFromZero);
        return seconds < 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m{seconds % 60:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h{seconds % 3600 / 60:00}m{seconds % 60:00}s");
    }

    /// <summary>A protobuf duration as <see cref="Duration(TimeSpan)"/>; <c>-</c> when unset.</summary>
    public static string Duration(Google.Protobuf.WellKnownTypes.Duration? duration) =>
        duration is null ? Unset : Duration(duration.ToTimeSpan());

    /// <summary>Time from <paramref name="since"/> to <paramref name="now"/> (never negative); <c>-</c> when unset.</summary>
    public static string Elapsed(Timestamp? since, DateTimeOffset now)
    {
        if (since is null)
        {
            return Unset;
        }

        var elapsed = now - since.ToDateTimeOffset();
        return Duration(elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed);
    }

    /// <summary><c>87.5%</c>: one decimal.</summary>
    public static string Percent(double percent) => string.Create(CultureInfo.InvariantCulture, $"{percent:0.0}%");

    /// <summary>A whole number, culture-free.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One queue's row of <see cref="QueueTable"/>.</summary>
    public static IReadOnlyList<string> QueueRow(QueueStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return
        [
            stats.QueueId,
            stats.Open ? "open" : "closed",
            Number(stats.Waiting),
            Number(stats.Offered),
            Number(stats.Connected),
            Duration(stats.LongestWait),
            Duration(stats.AverageWait),
            ServiceLevel(stats),
            Number(stats.Abandoned),
            $"{Number(stats.AgentsEligible)}/{Number(stats.AgentsAvailable)}",
            Duration(stats.EstimatedWait),
        ];
    }

    /// <summary>One queue's statistics on one line, for a stream written to a file or a pipe.</summary>
    public static string QueueStatsLine(QueueStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return string.Join(
            "  ",
            stats.QueueId,
            stats.Open ? "open" : "closed",
            $"waiting={Number(stats.Waiting)}",
            $"offered={Number(stats.Offered)}",
            $"connected={Number(stats.Connected)}",
            $"longest-wait={Duration(stats.LongestWait)}",
            $"average-wait={Duration(stats.AverageWait)}",
            $"service-level={ServiceLevel(stats).Replace(" ", string.Empty, StringComparison.Ordinal)}",
            $"answered={Number(stats.Answered)}",
            $"abandoned={Number(stats.Abandoned)}",
            $"agents={Number(stats.AgentsEligible)}/{Number(stats.AgentsAvailable)}",
            $"estimated-wait={Duration(stats.EstimatedWait)}",
            $"updated={(stats.UpdateTime is null ? Unset : TextFormat.Time(stats.UpdateTime))}");
    }

    /// <summary>One queue's row of <see cref="ImpactTable"/>: each figure as <c>before→after</c>.</summary>
    public static IReadOnlyList<string> ImpactRow(QueueImpact impact)
    {
        ArgumentNullException.ThrowIfNull(impact);
        return
        [
            impact.QueueId,
            Change(Number(impact.WaitingBefore), Number(impact.WaitingAfter)),
            Change(Duration(impact.EstimatedWaitBefore), Duration(impact.EstimatedWaitAfter)),
            Change(Percent(impact.ServiceLevelPercentBefore), Percent(impact.ServiceLevelPercentAfter)),
            Change(Number(impact.AgentsBefore), Number(impact.AgentsAfter)),
        ];
    }

    /// <summary>
    /// What a rebalancing action did, or with <c>--validate-only</c> would do: a headline naming the action, the
    /// affected interactions, and the impact on each queue with the model that predicted it.
    /// </summary>
    /// <param name="response">The engine's answer.</param>
    /// <param name="action">The action in words, e.g. <c>move i-1 to queue sales</c>.</param>
    /// <param name="validateOnly">Whether <c>--validate-only</c> was asked for.</param>
    public static IRenderable RebalanceView(RebalanceResponse response, string action, bool validateOnly)
    {
        ArgumentNullException.ThrowIfNull(response);
        var lines = new List<string>();
        var model = response.Model.Length > 0 ? $" (model: {response.Model})" : string.Empty;
        if (response.ValidatedOnly)
        {
            lines.Add($"validated, nothing changed: {action}");
        }
        else
        {
            if (validateOnly)
            {
                lines.Add("warning: --validate-only was asked for, but the engine reports the change as made");
            }

            lines.Add($"done: {action}");
        }

        var ids = response.AffectedInteractionIds;
        var count = ids.Count == 1 ? "1 interaction" : $"{Number(ids.Count)} interactions";
        lines.Add(ids.Count == 0
            ? (response.ValidatedOnly ? "would affect no interaction" : "no interaction affected")
            : $"{(response.ValidatedOnly ? "would affect" : "affected")} {count}: {string.Join(", ", ids)}");

        if (response.Impacts.Count == 0)
        {
            lines.Add($"no queue impact reported{model}");
        }
        else
        {
            lines.Add(string.Empty);
            lines.Add($"{(response.ValidatedOnly ? "predicted impact" : "impact")}{model}:");
            return new Rows(new Text(string.Join(Environment.NewLine, lines)), ImpactTable.Build(response.Impacts.Select(ImpactRow)));
        }

        return new Text(string.Join(Environment.NewLine, lines));
    }

    private static string ServiceLevel(QueueStats stats) =>
        stats.ServiceLevelWindow is null
            ? Percent(stats.ServiceLevelPercent)
            : $"{Percent(stats.ServiceLevelPercent)} ({DurationText.Format(stats.ServiceLevelWindow)})";

    private static string Change(string before, string after) => $"{before}→{after}";
}
