using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// Moves between the snapshot the grain stores and shows and the <see cref="InteractionStatus"/> the Core
/// <see cref="Interaction"/> aggregate decides on: the snapshot holds the status's fields beside the route's
/// context, skills and history.
/// </summary>
internal static class InteractionSnapshotStatus
{
    public static InteractionStatus ToStatus(this InteractionSnapshot s) => new()
    {
        InteractionId = s.InteractionId,
        State = s.State,
        QueueId = s.QueueId,
        BasePriority = s.BasePriority,
        ArrivalAt = s.ArrivalAt,
        AgentId = s.AgentId,
        OfferedAt = s.OfferedAt,
        ConnectedAt = s.ConnectedAt,
        WrapUpAt = s.WrapUpAt,
        EndedAt = s.EndedAt,
        Disposition = s.Disposition,
        EndReason = s.EndReason,
        ExcludedAgents = s.ExcludedAgents,
        ConsultAgentId = s.ConsultAgentId,
        ConsultQueueId = s.ConsultQueueId,
    };

    public static InteractionSnapshot With(this InteractionSnapshot s, InteractionStatus status) => s with
    {
        State = status.State,
        QueueId = status.QueueId,
        BasePriority = status.BasePriority,
        ArrivalAt = status.ArrivalAt,
        AgentId = status.AgentId,
        OfferedAt = status.OfferedAt,
        ConnectedAt = status.ConnectedAt,
        WrapUpAt = status.WrapUpAt,
        EndedAt = status.EndedAt,
        Disposition = status.Disposition,
        EndReason = status.EndReason,
        ExcludedAgents = status.ExcludedAgents,
        ConsultAgentId = status.ConsultAgentId,
        ConsultQueueId = status.ConsultQueueId,
    };
}
