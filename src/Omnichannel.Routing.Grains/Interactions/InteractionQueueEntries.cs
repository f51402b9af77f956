using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>What an interaction asks a queue to hold for it: its own wait, or the wait of a warm transfer.</summary>
internal static class InteractionQueueEntries
{
    /// <summary>
    /// The interaction's own wait. Always admitted: the engine accepted it already, so a full or closed queue still
    /// takes it back (re-queued, moved, recovered).
    /// </summary>
    public static QueueEntry For(InteractionSnapshot s, TimeSpan preferredAgentWait, ImmutableArray<string> overflowedFrom) =>
        new(
            s.InteractionId,
            s.CustomerId,
            s.Channel,
            s.BasePriority,
            s.ArrivalAt,
            s.RequiredSkills,
            s.PreferredSkills,
            s.ExcludedAgents,
            s.PreferredAgentId,
            preferredAgentWait,
            Admitted: true,
            overflowedFrom);

    /// <summary>
    /// The wait of a warm transfer to a queue: it began when the transfer was asked for, and the agent it leaves is
    /// never offered it.
    /// </summary>
    public static QueueEntry ForConsult(InteractionSnapshot s, TimeSpan preferredAgentWait, DateTimeOffset now) =>
        For(s, preferredAgentWait, []) with
        {
            Arrival = s.History.LastOrDefault(h => h.Type == RoutingEventType.ConsultQueued)?.Time ?? now,
            ExcludedAgents = s.ExcludedAgents.Add(s.AgentId!),
            PreferredAgentId = null,
        };
}
