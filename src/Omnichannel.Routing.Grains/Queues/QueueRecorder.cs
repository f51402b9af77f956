using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Orleans.Storage;

namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// The queue's one path to store a change to its configuration or members: the change is made, written, and undone
/// if the write fails. Configuration changes are recorded in the queue's event log by shard 0 only (see
/// <see cref="QueueShardKey"/>): the other shards of a sharded queue take the same change silently, so the log shows
/// one queue.
/// </summary>
internal sealed class QueueRecorder
{
    private readonly QueueShardKey _key;
    private readonly Func<QueueRecord> _record;
    private readonly Func<Task> _writeState;
    private readonly EventOutbox _outbox;
    private readonly TimeProvider _clock;
    private readonly Action _stale;
    private readonly Func<Exception, RoutingException> _unavailable;

    /// <param name="key">Which shard of which queue.</param>
    /// <param name="record">The stored record (read on every use).</param>
    /// <param name="writeState">Writes the record; a failure throws and nothing was stored.</param>
    /// <param name="outbox">The queue's event outbox, kept in the record.</param>
    /// <param name="clock">The engine's clock.</param>
    /// <param name="stale">Drops the activation (another one wrote meanwhile).</param>
    /// <param name="unavailable">The refusal for a failed write.</param>
    public QueueRecorder(QueueShardKey key, Func<QueueRecord> record, Func<Task> writeState, EventOutbox outbox, TimeProvider clock, Action stale, Func<Exception, RoutingException> unavailable)
    {
        _key = key;
        _record = record;
        _writeState = writeState;
        _outbox = outbox;
        _clock = clock;
        _stale = stale;
        _unavailable = unavailable;
    }

    /// <summary>Stores a configuration change and records it in the queue's event log (shard 0 only).</summary>
    public async Task StoreConfigAsync(QueueConfig changed, RoutingEventType eventType, Actor actor, string? detail)
    {
        var state = _record();
        var previous = state.Config;
        state.Config = changed;
        state.Version++;
        var logged = _key.Shard == 0;
        if (logged)
        {
            _outbox.Add(RoutingEvent.ForQueue(_clock.GetUtcNow(), _key.QueueId, state.Version, eventType, actor, detail));
        }

        await WriteOrRevertAsync(() =>
        {
            state.Config = previous;
            state.Version--;
            if (logged)
            {
                state.UnloggedEvents.RemoveAt(state.UnloggedEvents.Count - 1);
            }
        });
        await _outbox.FlushAsync();
    }

    /// <summary>
    /// Stores the configuration and members, or undoes the change and refuses with UNAVAILABLE. Unlike other
    /// grains a queue is not dropped on a failed write: its waiting list lives in memory, and the change that
    /// failed is simply not made.
    /// </summary>
    public async Task WriteOrRevertAsync(Action revert)
    {
        ArgumentNullException.ThrowIfNull(revert);
        try
        {
            await _writeState();
        }
        catch (Exception e) when (e is not RoutingException)
        {
            revert();
            if (e is InconsistentStateException)
            {
                // Another activation wrote meanwhile: this one's view is stale.
                _stale();
            }

            throw _unavailable(e);
        }
    }

    /// <summary>The configuration as its event's detail.</summary>
    public static string Describe(QueueConfig c) =>
        $"channels={string.Join(',', c.Channels)}; policy={c.Policy}; closed={c.Closed}; max_size={c.MaxSize}; offer_timeout={c.OfferTimeout}; aging_rate={c.AgingRate}"
        + (c.Shards > 1 ? $"; shards={c.Shards}" : string.Empty)
        + (c.Overflow is { } o ? $"; overflow={o.TargetQueueId}/{o.Mode}/{o.After}" : string.Empty);
}
