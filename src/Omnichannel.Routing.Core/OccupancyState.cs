namespace Omnichannel.Routing.Core;

/// <summary>
/// Everything an <see cref="OccupancyTracker"/> needs to carry on after a restart: the state in force, today's
/// totals and the signed-in stretches still inside the recent window. Plain data, so a grain can persist it as is
/// or through a surrogate.
/// </summary>
/// <param name="Day">00:00 UTC of the day the totals belong to.</param>
/// <param name="AccountedUntil">The totals include every moment before this instant.</param>
/// <param name="SignedIn">Signed in since the last observation.</param>
/// <param name="Presence">Presence since the last observation.</param>
/// <param name="Activity">Activity since the last observation.</param>
/// <param name="Occupied">Holding at least one connected or wrap-up interaction since the last observation.</param>
/// <param name="ActivitySince">When the current activity began.</param>
/// <param name="StretchStart">When the current combination of signed-in and occupied began.</param>
/// <param name="PresenceTime">Time in each presence today, up to <paramref name="AccountedUntil"/>.</param>
/// <param name="ActivityTime">Time in each activity today, up to <paramref name="AccountedUntil"/>.</param>
/// <param name="SignedInTime">Signed-in time today, up to <paramref name="AccountedUntil"/>.</param>
/// <param name="OccupiedTime">Signed-in and occupied time today, up to <paramref name="AccountedUntil"/>.</param>
/// <param name="Handling">Interactions handled today, per channel.</param>
/// <param name="RecentSignedInStretches">Closed signed-in stretches that may still overlap the recent window, oldest first.</param>
public sealed record OccupancyState(
    DateTimeOffset Day,
    DateTimeOffset AccountedUntil,
    bool SignedIn,
    Presence Presence,
    AgentActivity Activity,
    bool Occupied,
    DateTimeOffset ActivitySince,
    DateTimeOffset StretchStart,
    IReadOnlyDictionary<Presence, TimeSpan> PresenceTime,
    IReadOnlyDictionary<AgentActivity, TimeSpan> ActivityTime,
    TimeSpan SignedInTime,
    TimeSpan OccupiedTime,
    IReadOnlyDictionary<string, OccupancyHandlingTotals> Handling,
    IReadOnlyList<OccupancyStretch> RecentSignedInStretches);

/// <summary>Sums over the interactions of one channel handled today; averages are derived from them on demand.</summary>
/// <param name="Handled">Interactions that ended.</param>
/// <param name="HandleTime">Total connected time.</param>
/// <param name="WrapUpTime">Total wrap-up time.</param>
public sealed record OccupancyHandlingTotals(long Handled, TimeSpan HandleTime, TimeSpan WrapUpTime);

/// <summary>
/// A closed stretch of signed-in time during which the agent was continuously occupied, or continuously not; or, once
/// the tracker has merged neighbours to bound its memory, a stretch with <paramref name="MergedOccupiedTime"/> of
/// occupied time spread over it.
/// </summary>
/// <param name="Start">First instant of the stretch.</param>
/// <param name="End">Instant the stretch ended (exclusive).</param>
/// <param name="Occupied">Held at least one connected or wrap-up interaction throughout (unmerged stretches).</param>
/// <param name="MergedOccupiedTime">Set on merged stretches only: how much of the stretch was occupied.</param>
public sealed record OccupancyStretch(DateTimeOffset Start, DateTimeOffset End, bool Occupied, TimeSpan? MergedOccupiedTime = null)
{
    /// <summary>Occupied time in the stretch.</summary>
    public TimeSpan OccupiedTime => MergedOccupiedTime ?? (Occupied ? End - Start : TimeSpan.Zero);

    /// <summary>This stretch and the one right after it as one merged stretch.</summary>
    public OccupancyStretch MergedWith(OccupancyStretch next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new(Start, next.End, Occupied: false, OccupiedTime + next.OccupiedTime);
    }
}
