using System.Collections.Immutable;

namespace Omnichannel.Routing.Core;

/// <summary>
/// Where an interaction stands in its lifecycle: its state, the queue and agent it is with, a warm transfer in
/// progress and when each stage began. Only an <see cref="Interaction"/> moves it on.
/// </summary>
public sealed record InteractionStatus
{
    public required string InteractionId { get; init; }

    public required InteractionState State { get; init; }

    /// <summary>The queue it waits in or was offered from.</summary>
    public required string QueueId { get; init; }

    public required int BasePriority { get; init; }

    /// <summary>When its current wait began; kept across returns to the queue.</summary>
    public required DateTimeOffset ArrivalAt { get; init; }

    public string? AgentId { get; init; }

    public DateTimeOffset? OfferedAt { get; init; }

    public DateTimeOffset? ConnectedAt { get; init; }

    public DateTimeOffset? WrapUpAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? Disposition { get; init; }

    public string? EndReason { get; init; }

    /// <summary>Agents never to offer it to again (they rejected it or let the offer time out).</summary>
    public ImmutableArray<string> ExcludedAgents { get; init; } = [];

    /// <summary>The agent a warm transfer is offered to, while the first agent stays connected.</summary>
    public string? ConsultAgentId { get; init; }

    /// <summary>The queue a warm transfer waits in, while the first agent stays connected.</summary>
    public string? ConsultQueueId { get; init; }

    /// <summary>True while a warm transfer is in progress.</summary>
    public bool IsConsulting => ConsultAgentId is not null || ConsultQueueId is not null;
}
