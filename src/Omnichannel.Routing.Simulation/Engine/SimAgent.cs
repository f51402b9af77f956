using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Simulation.Engine;

/// <summary>
/// One simulated agent: its definition, shift, and the core's <see cref="AgentWorkload"/> as the authority on its
/// capacity, exactly as the agent grain keeps it.
/// </summary>
internal sealed class SimAgent(string id, SkillSet skills, CapacityProfile profile, IReadOnlyList<string> queues, DateTimeOffset shiftStart, DateTimeOffset shiftEnd)
{
    public string Id { get; } = id;

    public SkillSet Skills { get; } = skills;

    public IReadOnlyList<string> Queues { get; } = queues;

    public DateTimeOffset ShiftStart { get; } = shiftStart;

    public DateTimeOffset ShiftEnd { get; } = shiftEnd;

    public AgentWorkload Workload { get; } = new(profile);

    public bool SignedIn { get; set; }

    /// <summary>The shift is over: it takes nothing new and signs out once its work is done.</summary>
    public bool Leaving { get; set; }

    /// <summary>An offer is out and unanswered: the queue offers it nothing else meanwhile, as the engine does.</summary>
    public bool Awaiting { get; set; }

    public DateTimeOffset IdleSince { get; set; }

    private long _version;

    /// <summary>A fresh snapshot, as the agent publishes to its queues after every change.</summary>
    public AgentAvailability Snapshot() => new(
        Id, ++_version, SignedIn && !Leaving, Presence.Available, NotResponding: false, Skills, Workload.Profile, Workload.Load, IdleSince, HeldFor: null);
}
