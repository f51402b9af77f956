namespace Omnichannel.Routing.Core;

/// <summary>
/// One agent's occupancy as workforce tools read it (contract §5, Occupancy): time in each presence and activity, the
/// share of signed-in time spent handling or wrapping up, and what was handled per channel.
/// </summary>
/// <param name="PresenceTime">Time in each presence today (UTC day), including the current stretch; every presence is listed.</param>
/// <param name="ActivityTime">Time in each activity today, including the current stretch; every activity is listed.</param>
/// <param name="OccupancyPercentRecent">
/// Occupied time ÷ signed-in time × 100 over the last <see cref="OccupancyTracker.RecentWindow"/>; 0 when the agent
/// was not signed in at all in that window.
/// </param>
/// <param name="OccupancyPercentToday">As <paramref name="OccupancyPercentRecent"/>, since 00:00 UTC of the day asked about.</param>
/// <param name="Handling">Interactions handled today, per channel.</param>
/// <param name="StateSince">When the current activity began.</param>
public sealed record OccupancyFigures(
    IReadOnlyDictionary<Presence, TimeSpan> PresenceTime,
    IReadOnlyDictionary<AgentActivity, TimeSpan> ActivityTime,
    double OccupancyPercentRecent,
    double OccupancyPercentToday,
    IReadOnlyDictionary<string, ChannelHandlingFigures> Handling,
    DateTimeOffset StateSince);

/// <summary>Interactions of one channel handled today.</summary>
/// <param name="Handled">Interactions that ended.</param>
/// <param name="AverageHandleTime">Mean connected time (connected until completion), wrap-up excluded.</param>
/// <param name="AverageWrapUpTime">Mean wrap-up time.</param>
public sealed record ChannelHandlingFigures(long Handled, TimeSpan AverageHandleTime, TimeSpan AverageWrapUpTime);
