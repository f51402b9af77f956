namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// When the agent next checks its held work against the interactions: a periodic safety net for a failure between
/// two writes. An agent that holds nothing has no check scheduled.
/// </summary>
internal sealed class ReconcileSchedule
{
    private readonly TimeSpan _period;

    public ReconcileSchedule(TimeSpan period) => _period = period;

    /// <summary>The next check, or null when none is scheduled.</summary>
    public DateTimeOffset? Next { get; private set; }

    /// <summary>Schedules a check one period from now if work is held and none is due yet; drops it when none is held.</summary>
    public void Keep(bool holdsWork, DateTimeOffset now)
    {
        if (!holdsWork)
        {
            Next = null;
        }
        else
        {
            Next ??= now + _period;
        }
    }

    /// <summary>True when the check is due; it is then off the schedule until <see cref="Keep"/> sets the next one.</summary>
    public bool TakeDue(DateTimeOffset now)
    {
        if (Next is { } next && now >= next)
        {
            Next = null;
            return true;
        }

        return false;
    }
}
