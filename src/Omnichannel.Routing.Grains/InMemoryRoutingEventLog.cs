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
    private readonly HashSet<string> _contextForgotten = new(StringComparer.Ordinal);
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

    /// <summary>
    /// True: the embedded storage (<see cref="InProcessGrainStorage"/>), the only one this log is paired with, appends a
    /// state's unlogged events here in the write that stores it.
    /// </summary>
    public bool CommitsWithState => true;

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

    public ValueTask<IReadOnlyList<RecordedWait>> WaitingEntriesInAsync(string queueId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<RecordedWait>>([]);

    public ValueTask<IReadOnlyList<string>> HeldInteractionsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<string>>([]);

    public ValueTask<IReadOnlyList<string>> AgentsWithWorkAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<string>>([]);

    /// <summary>The customer's journey entries leave the recent events; the others close up behind them, in order.</summary>
    public ValueTask EraseCustomerAsync(ErasedCustomer customer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        lock (_lock)
        {
            var count = (int)Math.Min(_appended, _recent.Length);
            var kept = new List<RoutingEvent>(count);
            for (var i = _appended - count; i < _appended; i++)
            {
                var e = _recent[i % _recent.Length]!;
                if (e.Subject != RoutingEventSubject.Customer || !string.Equals(e.SubjectId, customer.CustomerId, StringComparison.Ordinal))
                {
                    kept.Add(e);
                }
            }

            Array.Clear(_recent);
            for (var i = 0; i < kept.Count; i++)
            {
                _recent[i] = kept[i];
            }

            _appended = kept.Count;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<string>> EndedWithContextAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default)
    {
        var ended = new List<string>();
        lock (_lock)
        {
            var count = (int)Math.Min(_appended, _recent.Length);
            for (var i = _appended - count; i < _appended && ended.Count < limit; i++)
            {
                var e = _recent[i % _recent.Length]!;
                if (e is { Subject: RoutingEventSubject.Interaction, To: InteractionState.Completed or InteractionState.Abandoned } && e.Time < endedBefore
                    && !_contextForgotten.Contains(e.SubjectId) && !ended.Contains(e.SubjectId))
                {
                    ended.Add(e.SubjectId);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<string>>(ended);
    }

    /// <summary>Their journey entries lose their detail (the entry with its context); nothing reads it back here.</summary>
    public ValueTask ContextForgottenAsync(IReadOnlyList<string> interactionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(interactionIds);
        var ids = interactionIds.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            for (var i = 0; i < _recent.Length; i++)
            {
                if (_recent[i] is { Subject: RoutingEventSubject.Customer, Type: RoutingEventType.JourneyEntry, InteractionId: { } id } e && ids.Contains(id))
                {
                    _recent[i] = e with { Detail = null };
                }
            }

            // Bounded like the events: past that, an interaction may be forgotten twice, which changes nothing.
            if (_contextForgotten.Count + ids.Count > _recent.Length)
            {
                _contextForgotten.Clear();
            }

            _contextForgotten.UnionWith(ids);
        }

        return ValueTask.CompletedTask;
    }
}
