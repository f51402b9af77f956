using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// One agent's occupancy (contract §5): Core's <see cref="OccupancyTracker"/>, its stored form, and the numbered
/// views workforce tools read.
/// </summary>
internal sealed class AgentOccupancy
{
    // How builds before the binary form stored the state; still read from records they wrote.
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly OccupancyTracker _tracker;
    private long _sequence;

    private AgentOccupancy(OccupancyTracker tracker, long firstSequence)
    {
        _tracker = tracker;
        _sequence = firstSequence;
    }

    /// <summary>
    /// The tracker stored as <paramref name="saved"/>, or a new one from <paramref name="now"/>. Views are numbered
    /// after <paramref name="firstSequence"/>: from the wall clock, so a new activation numbers after the last.
    /// </summary>
    public static AgentOccupancy Restore(OccupancyState? saved, DateTimeOffset now, long firstSequence) =>
        new(saved is null ? new OccupancyTracker(now) : new OccupancyTracker(saved), firstSequence);

    /// <summary>As <see cref="Restore"/>, from the JSON form earlier builds stored (null: none).</summary>
    public static AgentOccupancy RestoreFromJson(string? savedJson, DateTimeOffset now, long firstSequence) =>
        Restore(savedJson is null ? null : JsonSerializer.Deserialize<OccupancyState>(savedJson, Json), now, firstSequence);

    /// <summary>Counts the time until <paramref name="now"/> in the state the agent was in, and answers the stored form.</summary>
    public OccupancyState Observe(DateTimeOffset now, bool signedIn, Presence presence, AgentActivity activity, bool occupied)
    {
        _tracker.Observe(now, signedIn, presence, activity, occupied);
        return _tracker.Export();
    }

    /// <summary>Counts a finished interaction: handle time from its accept to its wrap-up, then the wrap-up itself.</summary>
    public void Handled(WorkItem wrappedUp, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(wrappedUp);
        var connectedAt = wrappedUp.ConnectedAt ?? wrappedUp.Since;
        _tracker.Handled(wrappedUp.Channel, wrappedUp.Since - connectedAt, now - wrappedUp.Since, now);
    }

    /// <summary>The occupancy as of <paramref name="now"/>, numbered after every view before it.</summary>
    public AgentOccupancyView View(AgentStatusView status, ImmutableArray<string> queueIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var figures = _tracker.Figures(now);
        return new AgentOccupancyView(
            status.AgentId,
            status.SignedIn,
            status.Presence,
            status.Activity,
            figures.StateSince,
            figures.PresenceTime.ToImmutableDictionary(),
            figures.ActivityTime.ToImmutableDictionary(),
            status.Loads,
            status.UnitsUsed,
            status.UnitsTotal,
            figures.OccupancyPercentRecent,
            figures.OccupancyPercentToday,
            [.. figures.Handling.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new ChannelHandlingView(h.Key, h.Value.Handled, h.Value.AverageHandleTime, h.Value.AverageWrapUpTime))],
            queueIds,
            now,
            ++_sequence);
    }
}
