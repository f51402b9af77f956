using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// The embedded default's event log: each interaction's grain keeps its own ordered history, so nothing more is
/// stored here. Durable mode replaces it with the PostgreSQL log.
/// </summary>
public sealed class InMemoryRoutingEventLog : IRoutingEventLog
{
    public ValueTask AppendAsync(RoutingEvent routingEvent, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask AppendAsync(IReadOnlyList<RoutingEvent> routingEvents, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
