using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

/// <summary>Interactions for collaborator tests.</summary>
internal static class InteractionCollaboratorData
{
    public static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static InteractionSnapshot Snapshot(InteractionState state = InteractionState.Queued, string? agentId = null) =>
        new(
            "i-1", null, "c-1", "chat", "sales", state, 5, [], ["french"], ImmutableDictionary<string, string>.Empty, agentId, "pat",
            CreatedAt: At, ArrivalAt: At, OfferedAt: null, ConnectedAt: null, WrapUpAt: null, EndedAt: null, EstimatedWait: null,
            QueuePosition: 0, Disposition: null, "j-1", ExcludedAgents: ["bob"], EndReason: null, History: []);
}
