using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>The persisted state of an <see cref="AgentGrain"/>.</summary>
[GenerateSerializer]
public sealed class AgentRecord
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
    public List<HeldWork> Work { get; set; } = [];

    /// <summary>The exclusive-channel interaction this agent is kept free for (contract §3.11).</summary>
    [Id(7)]
    public HoldRecord? Hold { get; set; }

    /// <summary>Grows with every change the agent's queues should see.</summary>
    [Id(8)]
    public long Version { get; set; }

    /// <summary>The occupancy tracker's state, as JSON (the core's types carry no serializer attributes).</summary>
    [Id(9)]
    public string? OccupancyJson { get; set; }
}

/// <summary>One interaction the agent holds, with what it needs to finish it.</summary>
[GenerateSerializer, Immutable]
public sealed record HeldWork(
    string InteractionId,
    string Channel,
    string QueueId,
    WorkPhase Phase,
    DateTimeOffset Since,
    DateTimeOffset? Deadline,
    TimeSpan WrapUp,
    DateTimeOffset? ConnectedAt = null)
{
    public WorkItem ToWorkItem() => new(InteractionId, Channel, QueueId, Phase, Since, Deadline);
}

/// <summary>The agent is kept free for <paramref name="InteractionId"/> of <paramref name="QueueId"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record HoldRecord(string QueueId, string InteractionId);
