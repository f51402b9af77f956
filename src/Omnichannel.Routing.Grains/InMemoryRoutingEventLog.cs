using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// The embedded default's event log: each interaction's grain keeps its own ordered history, and nothing outlives
/// the process, so nothing is stored or recovered here. It keeps only the most recent events, a bounded number, for
/// interval reports (<see cref="ReadRangeAsync"/>). Durable mode replaces it with the PostgreSQL log.
/// </summary>
public sealed class InMemoryRoutingEventLog : IRoutingEventLog
{
    /// <summary>How many recent events the embedded default keeps for reports: about a busy hour, tens of megabytes.</summary>
    public const int DefaultRecentCapacity = 200_000;

    private readonly RoutingEvent?[] _recent;
    private readonly Lock _lock = new();
    private long _appended;

    public InMemoryRoutingEventLog()
        : this(DefaultRecentCapacity)
    {
    }

    public InMemoryRoutingEventLog(int recentCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(recentCapacity);
        _recent = new RoutingEvent?[recentCapacity];
    }

    public bool IsDurable => false;

    public ValueTask AppendAsync(IReadOnlyList<RoutingEvent> routingEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(routingEvents);
        lock (_lock)
        {
            // A ring: the oldest event makes room for the newest.
            foreach (var e in routingEvents)
            {
                _recent[_appended++ % _recent.Length] = e;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<RoutingEvent>> ReadRangeAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken = default)
    {
        List<RoutingEvent> held;
        lock (_lock)
        {
            var count = (int)Math.Min(_appended, _recent.Length);
            held = new List<RoutingEvent>(count);
            for (var i = _appended - count; i < _appended; i++)
            {
                held.Add(_recent[i % _recent.Length]!);
            }
        }

        // A stable sort: events of one instant keep the order they were appended in.
        IReadOnlyList<RoutingEvent> inRange = held.Where(e => e.Time >= since && e.Time < until).OrderBy(e => e.Time).Take(limit).ToList();
        return ValueTask.FromResult(inRange);
    }

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
