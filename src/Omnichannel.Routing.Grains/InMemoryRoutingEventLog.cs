using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// The embedded default's event log: each interaction's grain keeps its own ordered history, and nothing outlives
/// the process, so nothing more is stored or recovered here. Durable mode replaces it with the PostgreSQL log.
/// </summary>
public sealed class InMemoryRoutingEventLog : IRoutingEventLog
{
    public bool IsDurable => false;

    public ValueTask AppendAsync(IReadOnlyList<RoutingEvent> routingEvents, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<RoutingEvent>> ReadAsync(RoutingEventSubject subject, string subjectId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<RoutingEvent>>([]);

    public ValueTask<IReadOnlyList<RoutingEvent>> ReadNewestAsync(RoutingEventSubject subject, string subjectId, RoutingEventType type, long beforeSequence, int limit, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<RoutingEvent>>([]);

    public ValueTask<IReadOnlyList<string>> WaitingInAsync(string queueId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<string>>([]);

    public ValueTask<IReadOnlyList<RecordedWait>> WaitingEntriesInAsync(string queueId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<RecordedWait>>([]);

    public ValueTask<IReadOnlyList<string>> HeldInteractionsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<string>>([]);

    public ValueTask<IReadOnlyList<string>> AgentsWithWorkAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<string>>([]);

    public ValueTask<IReadOnlyList<string>> OpenInteractionsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<string>>([]);
}
