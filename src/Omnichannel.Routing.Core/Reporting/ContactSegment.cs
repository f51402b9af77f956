namespace Omnichannel.Routing.Core.Reporting;

/// <summary>How one wait in a queue ended.</summary>
public enum WaitOutcome
{
    /// <summary>Still waiting when the trace ends.</summary>
    StillWaiting = 0,
    Answered = 1,

    /// <summary>The customer (or a supervisor) gave up while it waited or was being offered.</summary>
    Abandoned = 2,

    /// <summary>Moved to another queue by overflow.</summary>
    Overflowed = 3,

    /// <summary>Moved to another queue by a transfer while it waited.</summary>
    Transferred = 4,
}

/// <summary>
/// One interaction's stay in one queue: it counts as offered to that queue, in the interval it entered it, and ends
/// answered, abandoned or moved on. A transfer to a queue or an overflow starts a new segment in the target queue;
/// an overflow keeps the customer's original wait start, a transfer of connected work starts a new wait.
/// </summary>
public sealed class ContactSegment
{
    internal ContactSegment(string queueId, string channel, int priority, DateTimeOffset enteredAt, DateTimeOffset waitStart)
    {
        QueueId = queueId;
        Channel = channel;
        Priority = priority;
        EnteredAt = enteredAt;
        WaitStart = waitStart;
    }

    public string QueueId { get; }

    public string Channel { get; }

    public int Priority { get; }

    /// <summary>When it entered this queue: the interval it counts in.</summary>
    public DateTimeOffset EnteredAt { get; }

    /// <summary>When the customer's wait began (earlier than <see cref="EnteredAt"/> after an overflow).</summary>
    public DateTimeOffset WaitStart { get; }

    public WaitOutcome Outcome { get; private set; }

    /// <summary>When the wait ended (answered, abandoned, moved); null while it still waits.</summary>
    public DateTimeOffset? WaitEnd { get; private set; }

    /// <summary>Connected time, summed over every agent that held it after it was answered here.</summary>
    public TimeSpan HandleTime { get; internal set; }

    /// <summary>Wrap-up time of the agent that finished it.</summary>
    public TimeSpan WrapUpTime { get; internal set; }

    /// <summary>It was answered here and finished wrap-up: its handle and wrap-up times are complete.</summary>
    public bool Handled { get; internal set; }

    /// <summary>Answered here, then transferred (to a queue or to another agent).</summary>
    public bool TransferredAfterAnswer { get; internal set; }

    /// <summary>Counts in the transferred figure: moved while waiting, or transferred after being answered.</summary>
    public bool Transferred => Outcome == WaitOutcome.Transferred || TransferredAfterAnswer;

    public bool IsWaiting => Outcome == WaitOutcome.StillWaiting;

    /// <summary>How long it waited, up to <paramref name="traceEnd"/> when it still waits.</summary>
    public TimeSpan WaitUntil(DateTimeOffset traceEnd) => (WaitEnd ?? traceEnd) - WaitStart;

    internal void End(WaitOutcome outcome, DateTimeOffset at)
    {
        Outcome = outcome;
        WaitEnd = at;
    }
}
