using System.Collections.Immutable;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Abstractions;

/// <summary>A request to create and route an interaction, validated by the caller.</summary>
[GenerateSerializer, Immutable]
public sealed record RouteCommand(
    string? RequestId,
    string CustomerId,
    string Channel,
    string QueueId,
    int Priority,
    ImmutableArray<RequirementConfig> RequiredSkills,
    ImmutableArray<string> PreferredSkills,
    ImmutableDictionary<string, string> Context,
    string? PreferredAgentId,
    bool PreferLastAgent,
    TimeSpan PreferredAgentWait,
    Actor Actor);

/// <summary>One recorded change of an interaction, in order, with who caused it.</summary>
[GenerateSerializer, Immutable]
public sealed record InteractionEventRecord(
    long Sequence,
    DateTimeOffset Time,
    RoutingEventType Type,
    InteractionState? From,
    InteractionState To,
    string? QueueId,
    string? AgentId,
    Actor Actor,
    string? Detail);

/// <summary>An interaction as clients see it.</summary>
[GenerateSerializer, Immutable]
public sealed record InteractionSnapshot(
    string InteractionId,
    string? RequestId,
    string CustomerId,
    string Channel,
    string QueueId,
    InteractionState State,
    int BasePriority,
    ImmutableArray<RequirementConfig> RequiredSkills,
    ImmutableArray<string> PreferredSkills,
    ImmutableDictionary<string, string> Context,
    string? AgentId,
    string? PreferredAgentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ArrivalAt,
    DateTimeOffset? OfferedAt,
    DateTimeOffset? ConnectedAt,
    DateTimeOffset? WrapUpAt,
    DateTimeOffset? EndedAt,
    TimeSpan? EstimatedWait,
    int QueuePosition,
    string? Disposition,
    string? JourneyId,
    ImmutableArray<string> ExcludedAgents,
    string? EndReason,
    ImmutableArray<InteractionEventRecord> History,
    string? ConsultAgentId = null,
    string? ConsultQueueId = null);

/// <summary>The answer to <see cref="IInteractionGrain.Route"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record RouteOutcome(InteractionSnapshot Interaction, bool Replayed);

/// <summary>What a queue holds for one waiting interaction.</summary>
/// <param name="InteractionId">Interaction id.</param>
/// <param name="CustomerId">Customer id.</param>
/// <param name="Channel">Channel.</param>
/// <param name="BasePriority">Base priority.</param>
/// <param name="Arrival">When its wait began; kept across re-queues and rebalancing.</param>
/// <param name="RequiredSkills">Skill requirements as requested.</param>
/// <param name="PreferredSkills">Preferred skills.</param>
/// <param name="ExcludedAgents">Agents never to offer it to again.</param>
/// <param name="PreferredAgentId">Agent to wait for first, if any.</param>
/// <param name="PreferredAgentWait">How long to wait for that agent.</param>
/// <param name="Admitted">Already accepted by the engine (re-queued, moved): a full or closed queue still takes it.</param>
/// <param name="OverflowedFrom">Queues it already overflowed from, so overflow never loops.</param>
/// <param name="NewArrival">A new interaction (not re-queued, moved or recovered): it counts as an arrival.</param>
[GenerateSerializer, Immutable]
public sealed record QueueEntry(
    string InteractionId,
    string CustomerId,
    string Channel,
    int BasePriority,
    DateTimeOffset Arrival,
    ImmutableArray<RequirementConfig> RequiredSkills,
    ImmutableArray<string> PreferredSkills,
    ImmutableArray<string> ExcludedAgents,
    string? PreferredAgentId,
    TimeSpan PreferredAgentWait,
    bool Admitted,
    ImmutableArray<string> OverflowedFrom,
    bool NewArrival = false)
{
    public SkillDemand ToDemand() =>
        new(RequiredSkills.Select(r => new SkillRequirement(r.Skill, r.MinimumLevel)), PreferredSkills);
}

/// <summary>How a queue answered an interaction that asked to wait in it.</summary>
public enum EnqueueOutcome
{
    Queued = 0,

    /// <summary>Offered at once (the position is 0).</summary>
    Dispatched = 1,

    /// <summary>Full or closed with overflow configured: route to the overflow target instead.</summary>
    Overflow = 2,

    /// <summary>Full, no overflow: RESOURCE_EXHAUSTED.</summary>
    Full = 3,

    /// <summary>Closed (drained), no overflow: FAILED_PRECONDITION.</summary>
    Closed = 4,

    /// <summary>The queue does not take the interaction's channel.</summary>
    ChannelNotAccepted = 5,

    /// <summary>No such queue has been defined.</summary>
    UnknownQueue = 6,
}

/// <summary>
/// A queue's answer to an enqueue. <see cref="Shards"/> is how many shards the queue has (1 when it is not sharded),
/// for the interaction to find its shard from then on.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EnqueueResult(
    EnqueueOutcome Outcome,
    int Position,
    TimeSpan? EstimatedWait,
    string? OverflowQueueId,
    string? Message,
    bool PreferActiveAgent = true,
    int Shards = 1);

/// <summary>Why an offered interaction goes back to its queue.</summary>
public enum ReturnReason
{
    Rejected = 0,
    TimedOut = 1,
    SignedOut = 2,
    StreamLost = 3,
    CapacityConflict = 4,

    /// <summary>Reconciliation found the agent no longer holds it.</summary>
    Reconciled = 5,
}

/// <summary>A change a queue made to a waiting interaction, for its history.</summary>
[GenerateSerializer, Immutable]
public sealed record QueueNote(RoutingEventType Type, string QueueId, string Detail, DateTimeOffset Time);
