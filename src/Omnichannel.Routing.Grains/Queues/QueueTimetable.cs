namespace Omnichannel.Routing.Grains.Queues;

/// <summary>What a queue has to do later about one waiting interaction.</summary>
internal enum ScheduledKind
{
    /// <summary>The next skill-relaxation step is due.</summary>
    Relaxation,

    /// <summary>The wait for the preferred agent ends.</summary>
    PreferredWaitEnd,

    /// <summary>The interaction has waited long enough to overflow.</summary>
    Overflow,

    /// <summary>An agent has not answered a proposal in time.</summary>
    ProposalTimeout,
}

/// <summary>One piece of scheduled work; <paramref name="ProposalId"/> is set for proposal timeouts only.</summary>
internal readonly record struct ScheduledWork(ScheduledKind Kind, string InteractionId, long ProposalId = 0);

/// <summary>
/// A queue's timetable: proposal timeouts, relaxation steps, the end of preferred-agent waits and overflows, in
/// due order, behind one timer. Work is not cancelled when it becomes moot; the queue checks it when it is due.
/// </summary>
internal sealed class QueueTimetable
{
    private readonly PriorityQueue<ScheduledWork, DateTimeOffset> _work = new();

    public int Count => _work.Count;

    public void At(DateTimeOffset due, ScheduledWork work) => _work.Enqueue(work, due);

    public void ProposalTimeout(string interactionId, long proposalId, DateTimeOffset due) =>
        At(due, new ScheduledWork(ScheduledKind.ProposalTimeout, interactionId, proposalId));

    /// <summary>Takes the earliest work due at <paramref name="now"/>, if any.</summary>
    public bool TryTakeDue(DateTimeOffset now, out ScheduledWork work)
    {
        if (_work.TryPeek(out work, out var due) && due <= now)
        {
            _work.Dequeue();
            return true;
        }

        work = default;
        return false;
    }

    /// <summary>
    /// When the queue's timer should next fire: the earliest work, or sooner the next sweep when
    /// <paramref name="sweep"/> is set (there is something waiting to retry). Null when there is nothing to do.
    /// </summary>
    public DateTimeOffset? WakeAt(DateTimeOffset now, bool sweep, TimeSpan sweepInterval)
    {
        DateTimeOffset? due = _work.TryPeek(out _, out var next) ? next : null;
        if (sweep)
        {
            var sweepAt = now + sweepInterval;
            due = due is null || sweepAt < due ? sweepAt : due;
        }

        return due;
    }
}
