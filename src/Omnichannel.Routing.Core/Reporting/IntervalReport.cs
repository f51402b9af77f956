namespace Omnichannel.Routing.Core.Reporting;

/// <summary>
/// One queue's figures for one channel over one interval (contract of the interval report, see
/// docs/reporting-and-simulation.md). Interactions count in the interval they entered the queue.
/// </summary>
public sealed record QueueIntervalRow
{
    public required string QueueId { get; init; }

    public required string Channel { get; init; }

    public required DateTimeOffset IntervalStart { get; init; }

    public required DateTimeOffset IntervalEnd { get; init; }

    /// <summary>Entered the queue.</summary>
    public int Offered { get; init; }

    public int Answered { get; init; }

    public int Abandoned { get; init; }

    public int AnsweredWithinThreshold { get; init; }

    /// <summary>Abandoned before the threshold: short abandons, which service level leaves out.</summary>
    public int AbandonedWithinThreshold { get; init; }

    /// <summary>Transferred while waiting, or answered here and then transferred.</summary>
    public int Transferred { get; init; }

    /// <summary>Moved to another queue by overflow.</summary>
    public int Overflowed { get; init; }

    /// <summary>Still waiting when the trace ends.</summary>
    public int StillWaiting { get; init; }

    /// <summary>
    /// Answered within the threshold ÷ (answered + abandoned after the threshold), in percent; null when there is
    /// nothing to measure.
    /// </summary>
    public double? ServiceLevelPercent { get; init; }

    /// <summary>Abandoned ÷ (answered + abandoned), in percent; null when neither happened.</summary>
    public double? AbandonRatePercent { get; init; }

    /// <summary>Mean wait of the answered (average speed of answer).</summary>
    public TimeSpan AverageSpeedOfAnswer { get; init; }

    /// <summary>90th percentile (nearest rank) of the answered waits.</summary>
    public TimeSpan SpeedOfAnswerP90 { get; init; }

    /// <summary>Mean wait of every wait that ended (answered, abandoned, moved on).</summary>
    public TimeSpan AverageWait { get; init; }

    public TimeSpan WaitP95 { get; init; }

    public TimeSpan WaitP99 { get; init; }

    /// <summary>The longest wait, counting those still waiting up to the end of the trace.</summary>
    public TimeSpan LongestWait { get; init; }

    /// <summary>Mean connected time of the answered and finished.</summary>
    public TimeSpan AverageHandleTime { get; init; }

    /// <summary>Mean wrap-up time of the answered and finished.</summary>
    public TimeSpan AverageWrapUpTime { get; init; }
}

/// <summary>One agent's time over one interval, for one channel or for all of them (<see cref="AllChannels"/>).</summary>
public sealed record AgentIntervalRow
{
    /// <summary>The channel of the row that counts work of any channel.</summary>
    public const string AllChannels = "*";

    public required string AgentId { get; init; }

    public required string Channel { get; init; }

    public required DateTimeOffset IntervalStart { get; init; }

    public required DateTimeOffset IntervalEnd { get; init; }

    public TimeSpan SignedInTime { get; init; }

    /// <summary>Signed-in time holding at least one connected or wrap-up interaction of the channel (of any, for <see cref="AllChannels"/>).</summary>
    public TimeSpan BusyTime { get; init; }

    /// <summary>Busy ÷ signed-in time, in percent; 0 when not signed in.</summary>
    public double OccupancyPercent { get; init; }

    /// <summary>Interactions of the channel finished (wrap-up ended) in the interval.</summary>
    public int Handled { get; init; }
}

/// <summary>The longest wait of interactions of one base priority.</summary>
public readonly record struct PriorityWait(int Priority, int Interactions, TimeSpan LongestWait, TimeSpan AverageWait);

/// <summary>An interval report: queue rows, agent rows and the longest wait per priority, for one window.</summary>
public sealed record IntervalReport(
    ReportWindow Window,
    IReadOnlyList<QueueIntervalRow> Queues,
    IReadOnlyList<AgentIntervalRow> Agents,
    IReadOnlyList<PriorityWait> LongestWaitByPriority);
