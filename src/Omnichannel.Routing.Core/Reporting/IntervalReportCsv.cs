using System.Globalization;

namespace Omnichannel.Routing.Core.Reporting;

/// <summary>
/// The interval report as CSV: one table of queue rows and one of agent rows, with the same columns whether the
/// report came from the event log or from the simulator. Times are ISO 8601 UTC, durations seconds, percentages
/// with two decimals, an empty cell where a figure has no value.
/// </summary>
public static class IntervalReportCsv
{
    public const string QueueHeader =
        "interval_start,interval_end,queue,channel,offered,answered,abandoned,answered_within_sl,abandoned_within_sl,transferred,overflowed,still_waiting," +
        "service_level_pct,abandon_rate_pct,asa_s,asa_p90_s,avg_wait_s,wait_p95_s,wait_p99_s,longest_wait_s,aht_s,avg_wrap_up_s";

    public const string AgentHeader = "interval_start,interval_end,agent,channel,signed_in_s,busy_s,occupancy_pct,handled";

    public static void WriteQueues(IEnumerable<QueueIntervalRow> rows, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(QueueHeader);
        foreach (var r in rows)
        {
            writer.WriteLine(string.Join(',', [
                Time(r.IntervalStart), Time(r.IntervalEnd), Text(r.QueueId), Text(r.Channel),
                Int(r.Offered), Int(r.Answered), Int(r.Abandoned), Int(r.AnsweredWithinThreshold), Int(r.AbandonedWithinThreshold),
                Int(r.Transferred), Int(r.Overflowed), Int(r.StillWaiting),
                Percent(r.ServiceLevelPercent), Percent(r.AbandonRatePercent),
                Seconds(r.AverageSpeedOfAnswer), Seconds(r.SpeedOfAnswerP90), Seconds(r.AverageWait), Seconds(r.WaitP95), Seconds(r.WaitP99),
                Seconds(r.LongestWait), Seconds(r.AverageHandleTime), Seconds(r.AverageWrapUpTime),
            ]));
        }
    }

    public static void WriteAgents(IEnumerable<AgentIntervalRow> rows, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(AgentHeader);
        foreach (var r in rows)
        {
            writer.WriteLine(string.Join(',', [
                Time(r.IntervalStart), Time(r.IntervalEnd), Text(r.AgentId), Text(r.Channel),
                Seconds(r.SignedInTime), Seconds(r.BusyTime), Percent(r.OccupancyPercent), Int(r.Handled),
            ]));
        }
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Percent(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : string.Empty;

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Ids may hold no comma or quote (the API's id rule), but a channel or id from a file might: quote those.</summary>
    private static string Text(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
