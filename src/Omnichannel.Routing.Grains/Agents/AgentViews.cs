using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>What an agent shows of its record and workload: to its desktop, to its queues, and to the eligibility rules.</summary>
internal static class AgentViews
{
    /// <summary>The live status a desktop and the API see.</summary>
    public static AgentStatusView Status(string agentId, AgentRecord record, AgentWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(workload);
        return new AgentStatusView(
            agentId,
            record.SignedIn,
            record.Presence,
            workload.ActivityWhen(record.SignedIn, record.NotResponding),
            [.. workload.Profile.Limits.OrderBy(l => l.Channel, StringComparer.Ordinal).Select(l => new ChannelLoadView(l.Channel, workload.Load[l.Channel], l.MaxConcurrent))],
            workload.UnitsUsed,
            workload.Profile.TotalUnits,
            [.. workload.Items.OrderBy(i => i.Since)],
            record.PresenceSince,
            record.IdleSince);
    }

    /// <summary>What the agent's queues keep of it, at the record's version.</summary>
    public static AgentSnapshot Snapshot(string agentId, AgentRecord record, AgentWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(workload);
        return new AgentSnapshot(
            agentId,
            record.Version,
            record.SignedIn,
            record.Presence,
            record.NotResponding,
            record.Config?.Skills ?? ImmutableDictionary<string, int>.Empty,
            record.Config?.Capacity ?? new CapacityConfig(1, []),
            workload.Load.ToImmutableDictionary(StringComparer.Ordinal),
            record.IdleSince,
            record.Hold?.InteractionId);
    }

    /// <summary>The agent as Core's eligibility rules read it.</summary>
    public static AgentAvailability Availability(string agentId, AgentRecord record, AgentWorkload workload, SkillSet skills)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(workload);
        return new AgentAvailability(agentId, record.Version, record.SignedIn, record.Presence, record.NotResponding, skills, workload.Profile, workload.Load, record.IdleSince, record.Hold?.InteractionId);
    }

    /// <summary>True while some channel could take one more interaction, or a hold keeps the agent for one.</summary>
    public static bool HasRoomForAnything(AgentRecord record, AgentWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(workload);
        return record.Hold is not null || workload.Profile.Limits.Any(l => workload.CanReserve(l.Channel) == CapacityVerdict.Fits);
    }
}
