using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Abstractions;

/// <summary>What a recorded event is about.</summary>
public enum RoutingEventSubject
{
    Interaction = 0,
    Agent = 1,
    Queue = 2,
    Configuration = 3,
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
/// The append-only event log of every state change (SPEC §4). Grains append; an append that returns has been
/// recorded as durably as the configured log can make it. The embedded default keeps no log beyond each
/// interaction's own history.
/// </summary>
public interface IRoutingEventLog
{
    ValueTask AppendAsync(RoutingEvent routingEvent, CancellationToken cancellationToken = default);

    ValueTask AppendAsync(IReadOnlyList<RoutingEvent> routingEvents, CancellationToken cancellationToken = default);
}
