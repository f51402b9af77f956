using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// The persisted state of an <see cref="AgentGrain"/>, with the rules for presence and holds that change it. The
/// held work is the agent's <see cref="AgentWorkload"/> items as of the last write.
/// </summary>
[GenerateSerializer]
public sealed class AgentRecord : IHoldsUnloggedEvents
{
    [Id(0)]
    public AgentConfig? Config { get; set; }

    [Id(1)]
    public bool SignedIn { get; set; }

    [Id(2)]
    public Presence Presence { get; set; } = Presence.Offline;

    [Id(3)]
    public DateTimeOffset PresenceSince { get; set; }

    [Id(4)]
    public bool NotResponding { get; set; }

    [Id(5)]
    public DateTimeOffset IdleSince { get; set; }

    [Id(6)]
    public List<WorkItem> Work { get; set; } = [];

    /// <summary>The exclusive-channel interaction this agent is kept free for (contract §3.11).</summary>
    [Id(7)]
    public HoldRecord? Hold { get; set; }

    /// <summary>Grows with every change the agent's queues should see.</summary>
    [Id(8)]
    public long Version { get; set; }

    /// <summary>
    /// The occupancy tracker's state as JSON, as builds before <see cref="Occupancy"/> stored it: read once when such
    /// a record is restored, then cleared.
    /// </summary>
    [Id(9)]
    public string? OccupancyJson { get; set; }

    /// <summary>The sequence of the agent's last recorded event: each event in the log has its own.</summary>
    [Id(10)]
    public long EventSequence { get; set; }

    /// <summary>Recorded events stored with this state that the event log may not have yet (see <see cref="EventOutbox"/>).</summary>
    [Id(11)]
    public List<RoutingEvent> UnloggedEvents { get; set; } = [];

    /// <summary>
    /// The occupancy tracker's state (stored through <see cref="Agents.OccupancyStateSurrogate"/>). Shared, not copied,
    /// when the record is copied: the tracker exports a new snapshot on every write and nobody changes one, and the
    /// copy through the surrogate was a twentieth of the host's allocation under load.
    /// </summary>
    [Id(12), Immutable]
    public OccupancyState? Occupancy { get; set; }

    IReadOnlyList<RoutingEvent> IHoldsUnloggedEvents.UnloggedEvents => UnloggedEvents;

    /// <summary>The queues the agent serves; none until it is defined.</summary>
    public ImmutableArray<string> QueueIds => Config?.QueueIds ?? [];

    /// <summary>Signed in, available and responding: the agent can be offered work or held.</summary>
    public bool IsReady => SignedIn && Presence == Presence.Available && !NotResponding;

    /// <summary>
    /// Sets the presence. A change restarts <see cref="PresenceSince"/>; becoming available, or being set available
    /// again after not responding, restarts the idle time; setting AVAILABLE is what ends not-responding (contract §3.6).
    /// </summary>
    public void ChangePresence(Presence presence, DateTimeOffset now)
    {
        if (Presence != presence)
        {
            PresenceSince = now;
        }

        if (presence == Presence.Available && (Presence != Presence.Available || NotResponding))
        {
            IdleSince = now;
        }

        Presence = presence;
        if (presence == Presence.Available)
        {
            NotResponding = false;
        }
    }

    /// <summary>
    /// Keeps the agent free for an exclusive-channel interaction of a queue it serves, if it is ready and not already
    /// kept for another; answers whether it now is.
    /// </summary>
    public bool TryHold(string queueId, string interactionId)
    {
        if (!IsReady || Hold is not null || !QueueIds.Contains(QueueShardKey.QueueIdOf(queueId)))
        {
            return false;
        }

        Hold = new HoldRecord(queueId, interactionId);
        return true;
    }

    /// <summary>Ends the hold if it is for <paramref name="interactionId"/>; answers whether it was.</summary>
    public bool ReleaseHoldFor(string interactionId)
    {
        if (Hold?.InteractionId != interactionId)
        {
            return false;
        }

        Hold = null;
        return true;
    }

    /// <summary>Ends whatever hold there is and answers it, for its queue to be told.</summary>
    public HoldRecord? TakeHold()
    {
        var hold = Hold;
        Hold = null;
        return hold;
    }
}

/// <summary>The agent is kept free for <paramref name="InteractionId"/> of <paramref name="QueueId"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record HoldRecord(string QueueId, string InteractionId);
