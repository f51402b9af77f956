using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// The persisted state of a <see cref="QueueGrain"/>: its configuration and members. Waiting interactions are not
/// written here on every change: each interaction's own grain records that it waits in this queue, so a queue
/// write stays small whatever its backlog.
/// </summary>
[GenerateSerializer]
public sealed class QueueRecord : IHoldsUnloggedEvents
{
    [Id(0)]
    public QueueConfig? Config { get; set; }

    [Id(1)]
    public HashSet<string> MemberIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Grows with every configuration change; the sequence of the queue's events in the log.</summary>
    [Id(2)]
    public long Version { get; set; }

    /// <summary>Recorded events stored with this state that the event log may not have yet (see <see cref="EventOutbox"/>).</summary>
    [Id(3)]
    public List<RoutingEvent> UnloggedEvents { get; set; } = [];

    IReadOnlyList<RoutingEvent> IHoldsUnloggedEvents.UnloggedEvents => UnloggedEvents;
}
