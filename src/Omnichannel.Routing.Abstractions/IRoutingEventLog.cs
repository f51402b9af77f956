using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Abstractions;

/// <summary>What a recorded event is about.</summary>
public enum RoutingEventSubject
{
    Interaction = 0,
    Agent = 1,
    Queue = 2,
    Configuration = 3,
    Customer = 4,
}

/// <summary>One entry of the engine's event log: what happened, when, to what, and who caused it.</summary>
[GenerateSerializer, Immutable]
public sealed record RoutingEvent(
    DateTimeOffset Time,
    RoutingEventSubject Subject,
    string SubjectId,
    long Sequence,
    string Type,
    string? InteractionId,
    string? AgentId,
    string? QueueId,
    Actor Actor,
    InteractionState? From,
    InteractionState? To,
    string? Detail);

/// <summary>
/// The append-only event log of every state change (contract §4), and the index of each interaction's latest state
/// that recovery reads. Grains append; an append that returns has been recorded as durably as the configured log
/// can make it (in durable mode: committed to PostgreSQL, in a group with whatever else was pending).
/// </summary>
public interface IRoutingEventLog
{
    /// <summary>True when the log outlives the process (durable mode); the embedded default keeps nothing.</summary>
    bool IsDurable { get; }

    ValueTask AppendAsync(IReadOnlyList<RoutingEvent> routingEvents, CancellationToken cancellationToken = default);

    /// <summary>Every recorded event of one subject, in sequence order.</summary>
    ValueTask<IReadOnlyList<RoutingEvent>> ReadAsync(RoutingEventSubject subject, string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> events of one subject and type with a sequence below <paramref name="beforeSequence"/>, newest first.</summary>
    ValueTask<IReadOnlyList<RoutingEvent>> ReadNewestAsync(RoutingEventSubject subject, string subjectId, string type, long beforeSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Interactions whose latest recorded state is QUEUED in <paramref name="queueId"/>.</summary>
    ValueTask<IReadOnlyList<string>> WaitingInAsync(string queueId, CancellationToken cancellationToken = default);

    /// <summary>Agents that hold an offered, connected or wrap-up interaction, by the latest recorded states.</summary>
    ValueTask<IReadOnlyList<string>> AgentsWithWorkAsync(CancellationToken cancellationToken = default);

    /// <summary>Interactions not yet ended (completed or abandoned), by the latest recorded states.</summary>
    ValueTask<IReadOnlyList<string>> OpenInteractionsAsync(CancellationToken cancellationToken = default);
}
