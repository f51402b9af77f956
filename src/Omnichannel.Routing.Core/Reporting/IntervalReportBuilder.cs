namespace Omnichannel.Routing.Core.Reporting;

/// <summary>
/// Cuts a <see cref="TraceLedger"/>'s facts into the intervals of a <see cref="ReportWindow"/>: per queue × channel ×
/// interval the counts, service level and waits; per agent × channel × interval the signed-in and busy time. A pure
/// function of the ledger and the window, so the same trace always gives the same report.
/// </summary>
public static class IntervalReportBuilder
{
    public static IntervalReport Build(TraceLedger ledger, ReportWindow window)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(window);
        var traceEnd = ledger.LastEventTime < window.To ? ledger.LastEventTime : window.To;
        return new IntervalReport(
            window,
            QueueRows(ledger, window, traceEnd),
            AgentRows(ledger, window),
            PriorityWaits(ledger, window, traceEnd));
    }

    /// <summary>The report of a trace of events, in the order given.</summary>
    public static IntervalReport Build(IEnumerable<TraceEvent> events, ReportWindow window)
    {
        var ledger = new TraceLedger();
        ledger.RecordAll(events);
        return Build(ledger, window);
    }

    private static List<QueueIntervalRow> QueueRows(TraceLedger ledger, ReportWindow window, DateTimeOffset traceEnd)
    {
        return ledger.Segments
            .Select(s => (Segment: s, Index: window.IndexOf(s.EnteredAt)))
            .Where(x => x.Index >= 0)
            .GroupBy(x => (x.Segment.QueueId, x.Segment.Channel, x.Index))
            .OrderBy(g => g.Key.QueueId, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Channel, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Index)
            .Select(g => QueueRow(g.Key.QueueId, g.Key.Channel, window.StartOf(g.Key.Index), window.EndOf(g.Key.Index), g.Select(x => x.Segment).ToList(), window.ServiceLevelThreshold, traceEnd))
            .ToList();
    }

    /// <summary>The figures of one queue, channel and interval from its segments.</summary>
    public static QueueIntervalRow QueueRow(
        string queueId, string channel, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<ContactSegment> segments, TimeSpan threshold, DateTimeOffset traceEnd)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var answered = segments.Where(s => s.Outcome == WaitOutcome.Answered).ToList();
        var abandoned = segments.Where(s => s.Outcome == WaitOutcome.Abandoned).ToList();
        var answerWaits = answered.Select(s => s.WaitUntil(traceEnd)).Order().ToList();
        var endedWaits = segments.Where(s => !s.IsWaiting).Select(s => s.WaitUntil(traceEnd)).Order().ToList();
        var handled = answered.Where(s => s.Handled).ToList();
        var answeredWithin = answerWaits.Count(w => w <= threshold);
        var abandonedWithin = abandoned.Count(s => s.WaitUntil(traceEnd) <= threshold);
        var slBase = answered.Count + abandoned.Count - abandonedWithin;
        var outcomes = answered.Count + abandoned.Count;
        return new QueueIntervalRow
        {
            QueueId = queueId,
            Channel = channel,
            IntervalStart = start,
            IntervalEnd = end,
            Offered = segments.Count,
            Answered = answered.Count,
            Abandoned = abandoned.Count,
            AnsweredWithinThreshold = answeredWithin,
            AbandonedWithinThreshold = abandonedWithin,
            Transferred = segments.Count(s => s.Transferred),
            Overflowed = segments.Count(s => s.Outcome == WaitOutcome.Overflowed),
            StillWaiting = segments.Count(s => s.IsWaiting),
            ServiceLevelPercent = slBase > 0 ? 100.0 * answeredWithin / slBase : null,
            AbandonRatePercent = outcomes > 0 ? 100.0 * abandoned.Count / outcomes : null,
            AverageSpeedOfAnswer = Mean(answerWaits),
            SpeedOfAnswerP90 = Percentile(answerWaits, 90),
            AverageWait = Mean(endedWaits),
            WaitP95 = Percentile(endedWaits, 95),
            WaitP99 = Percentile(endedWaits, 99),
            LongestWait = segments.Count == 0 ? TimeSpan.Zero : segments.Max(s => s.WaitUntil(traceEnd)),
            AverageHandleTime = Mean(handled.Select(s => s.HandleTime).ToList()),
            AverageWrapUpTime = Mean(handled.Select(s => s.WrapUpTime).ToList()),
        };
    }

    private static List<AgentIntervalRow> AgentRows(TraceLedger ledger, ReportWindow window)
    {
        var rows = new List<AgentIntervalRow>();
        foreach (var agent in ledger.Agents.OrderBy(a => a.AgentId, StringComparer.Ordinal))
        {
            var signedIn = new TimeSpan[window.IntervalCount];
            var busy = new Dictionary<string, TimeSpan[]>(StringComparer.Ordinal) { [AgentIntervalRow.AllChannels] = new TimeSpan[window.IntervalCount] };
            var marks = agent.Marks;
            for (var i = 0; i < marks.Count; i++)
            {
                var mark = marks[i];
                if (!mark.SignedIn)
                {
                    continue;
                }

                var until = i + 1 < marks.Count ? marks[i + 1].Time : window.To;
                Spread(window, mark.Time, until, signedIn);
                if (mark.BusyChannels.Count > 0)
                {
                    Spread(window, mark.Time, until, busy[AgentIntervalRow.AllChannels]);
                }

                foreach (var channel in mark.BusyChannels)
                {
                    if (!busy.TryGetValue(channel, out var perChannel))
                    {
                        perChannel = new TimeSpan[window.IntervalCount];
                        busy[channel] = perChannel;
                    }

                    Spread(window, mark.Time, until, perChannel);
                }
            }

            var handled = agent.Handled
                .Select(h => (h.Channel, Index: window.IndexOf(h.Time)))
                .Where(h => h.Index >= 0)
                .ToList();
            foreach (var channel in handled.Select(h => h.Channel).Where(c => !busy.ContainsKey(c)).Distinct().ToList())
            {
                busy[channel] = new TimeSpan[window.IntervalCount];
            }

            foreach (var (channel, busyTimes) in busy.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                for (var index = 0; index < window.IntervalCount; index++)
                {
                    var count = handled.Count(h => h.Index == index && (channel == AgentIntervalRow.AllChannels || h.Channel == channel));
                    if (signedIn[index] == TimeSpan.Zero && count == 0)
                    {
                        continue;
                    }

                    rows.Add(new AgentIntervalRow
                    {
                        AgentId = agent.AgentId,
                        Channel = channel,
                        IntervalStart = window.StartOf(index),
                        IntervalEnd = window.EndOf(index),
                        SignedInTime = signedIn[index],
                        BusyTime = busyTimes[index],
                        OccupancyPercent = signedIn[index] > TimeSpan.Zero ? 100.0 * busyTimes[index].Ticks / signedIn[index].Ticks : 0,
                        Handled = count,
                    });
                }
            }
        }

        return rows;
    }

    private static List<PriorityWait> PriorityWaits(TraceLedger ledger, ReportWindow window, DateTimeOffset traceEnd) =>
        ledger.Segments
            .Where(s => window.IndexOf(s.EnteredAt) >= 0)
            .GroupBy(s => s.Priority)
            .OrderBy(g => g.Key)
            .Select(g => new PriorityWait(g.Key, g.Count(), g.Max(s => s.WaitUntil(traceEnd)), Mean(g.Select(s => s.WaitUntil(traceEnd)).ToList())))
            .ToList();

    /// <summary>Adds the part of [from, until) that falls in each interval of the window.</summary>
    private static void Spread(ReportWindow window, DateTimeOffset from, DateTimeOffset until, TimeSpan[] perInterval)
    {
        var start = from > window.From ? from : window.From;
        var end = until < window.To ? until : window.To;
        while (start < end)
        {
            var index = window.IndexOf(start);
            var intervalEnd = window.EndOf(index);
            var stop = intervalEnd < end ? intervalEnd : end;
            perInterval[index] += stop - start;
            start = stop;
        }
    }

    private static TimeSpan Mean(List<TimeSpan> values) =>
        values.Count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(values.Sum(v => v.Ticks) / values.Count);

    /// <summary>Nearest-rank percentile of sorted values: the smallest value with at least p% of them at or below it.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
