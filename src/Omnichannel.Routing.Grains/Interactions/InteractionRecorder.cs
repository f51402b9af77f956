using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Orleans.Utilities;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// Records an interaction's changes: each gets the next sequence and goes into the bounded history and the
/// <see cref="EventOutbox"/>; storing writes the state (the commit point), flushes the outbox and then tells the
/// watchers, so nobody hears of a change that was not stored.
/// </summary>
internal sealed class InteractionRecorder
{
    private readonly Func<InteractionRecord> _record;
    private readonly Func<Task> _writeState;
    private readonly EventOutbox _outbox;
    private readonly ObserverManager<IInteractionObserver> _watchers;
    private readonly TimeProvider _clock;
    private readonly int _historyLimit;

    public InteractionRecorder(Func<InteractionRecord> record, Func<Task> writeState, EventOutbox outbox, ObserverManager<IInteractionObserver> watchers, TimeProvider clock, int historyLimit)
    {
        _record = record;
        _writeState = writeState;
        _outbox = outbox;
        _watchers = watchers;
        _clock = clock;
        _historyLimit = historyLimit;
    }

    /// <summary>Adds one change, caused by <paramref name="actor"/>, to the history and the outbox (stored with the next write).</summary>
    public InteractionEventRecord Append(InteractionChange change, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(change);
        var record = _record();
        var current = record.Current ?? throw new InvalidOperationException("an interaction records changes only once it exists");
        var e = new InteractionEventRecord(record.NextSequence++, _clock.GetUtcNow(), change.Type, change.From, change.To, change.QueueId, change.AgentId, actor, change.Detail);
        var history = current.History.Add(e);
        if (history.Length > _historyLimit)
        {
            history = history.RemoveRange(0, history.Length - _historyLimit);
        }

        record.Current = current with { History = history };
        _outbox.Add(RoutingEvent.ForInteraction(current.InteractionId, e));
        return e;
    }

    /// <summary>
    /// Writes the state (a failure throws and nothing happened), then appends the events to the log and tells the
    /// watchers. False when the append failed: the events wait in the outbox.
    /// </summary>
    public async Task<bool> StoreAsync(IReadOnlyList<InteractionEventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        await _writeState();
        var logged = await _outbox.FlushAsync();
        if (events.Count > 0 && _record().Current is { } current)
        {
            var view = current with { History = [] };
            _watchers.Notify(watcher =>
            {
                foreach (var e in events)
                {
                    watcher.OnChanged(view, e).Ignore();
                }
            });
        }

        return logged;
    }
}
