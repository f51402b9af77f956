namespace Omnichannel.Routing.Core.Reporting;

/// <summary>
/// The time range a report covers, cut into intervals of one length (15 or 30 minutes, an hour, a day...), and the
/// T of the service-level target "answered within T".
/// </summary>
public sealed record ReportWindow
{
    public ReportWindow(DateTimeOffset from, DateTimeOffset to, TimeSpan interval, TimeSpan serviceLevelThreshold)
    {
        if (to <= from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "The end of a report must come after its start.");
        }

        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A report interval must be positive.");
        }

        if (serviceLevelThreshold < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(serviceLevelThreshold), serviceLevelThreshold, "The service-level threshold cannot be negative.");
        }

        From = from;
        To = to;
        Interval = interval;
        ServiceLevelThreshold = serviceLevelThreshold;
    }

    /// <summary>The industry's usual target: answered within 20 seconds.</summary>
    public static readonly TimeSpan DefaultServiceLevelThreshold = TimeSpan.FromSeconds(20);

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    public TimeSpan Interval { get; }

    public TimeSpan ServiceLevelThreshold { get; }

    /// <summary>How many intervals the window holds (the last may be cut short by <see cref="To"/>).</summary>
    public int IntervalCount => (int)Math.Ceiling((To - From).Ticks / (double)Interval.Ticks);

    /// <summary>The same range as one interval: the totals of the whole window.</summary>
    public ReportWindow Whole => new(From, To, To - From, ServiceLevelThreshold);

    /// <summary>The index of the interval holding <paramref name="at"/>, or -1 when it falls outside the window.</summary>
    public int IndexOf(DateTimeOffset at) => at < From || at >= To ? -1 : (int)((at - From).Ticks / Interval.Ticks);

    public DateTimeOffset StartOf(int index) => From + (Interval * index);

    public DateTimeOffset EndOf(int index)
    {
        var end = From + (Interval * (index + 1));
        return end < To ? end : To;
    }
}
