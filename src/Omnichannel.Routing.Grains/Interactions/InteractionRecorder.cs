using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Orleans.Utilities;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// Applies the <see cref="Interaction"/> aggregate's decisions to the stored interaction and records its changes:
/// each gets the next sequence and goes into the bounded history and the <see cref="EventOutbox"/>; storing writes
/// the state (the commit point), flushes the outbox and then tells the watchers, so nobody hears of a change that
/// was not stored. The grain and its collaborators change the interaction only through it.
/// </summary>
internal sealed class InteractionRecorder
{
    private readonly Func<InteractionRecord> _record;
    private readonly Func<Task> _writeState;
    private readonly EventOutbox _outbox;
    private readonly ObserverManager<IInteractionObserver> _watchers;
    private readonly TimeProvider _clock;
    private readonly int _historyLimit;
    private readonly Action<bool> _stored;

    /// <summary>Made by the grain; <c>stored</c> is told after every store whether the log has all events (false: they wait in the outbox).</summary>
    public InteractionRecorder(Func<InteractionRecord> record, Func<Task> writeState, EventOutbox outbox, ObserverManager<IInteractionObserver> watchers, TimeProvider clock, int historyLimit, Action<bool> stored)
    {
        _stored = stored;
        _record = record;
        _writeState = writeState;
        _outbox = outbox;
        _watchers = watchers;
        _clock = clock;
        _historyLimit = historyLimit;
    }

    public InteractionRecord Record => _record();

    /// <summary>The stored interaction; it exists whenever a collaborator changes it.</summary>
    public InteractionSnapshot Current => _record().Current ?? throw new InvalidOperationException("the interaction does not exist yet");

    /// <summary>Lets the aggregate decide on a copy; a refusal is FAILED_PRECONDITION and changes nothing.</summary>
    public (Interaction Interaction, InteractionDecision Decision) Decide(Func<Interaction, InteractionDecision> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var interaction = new Interaction(Current.ToStatus());
        var decision = change(interaction);
        return decision.Refusal is { } refusal ? throw RoutingException.Precondition(refusal.Field, refusal.Reason) : (interaction, decision);
    }

    /// <summary>Takes the aggregate's new status into the snapshot and records its changes, each with who caused it.</summary>
    public List<InteractionEventRecord> Commit(Interaction interaction, InteractionDecision decision, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(decision);
        _record().Current = Current.With(interaction.Status);
        return [.. decision.Changes.Select(change => Append(change, actor))];
    }

    /// <summary><see cref="Commit"/>, then <see cref="StoreAsync"/>.</summary>
    public Task ApplyAsync(Interaction interaction, InteractionDecision decision, Actor actor) => StoreAsync(Commit(interaction, decision, actor));

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
        _outbox.Add(RoutingEvent.ForInteraction(current.InteractionId, e) with { Channel = current.Channel, Priority = current.BasePriority });
        return e;
    }

    /// <summary>
    /// Writes the state (a failure throws and nothing happened), then appends the events to the log and tells the
    /// watchers.
    /// </summary>
    public async Task StoreAsync(IReadOnlyList<InteractionEventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        StampWaitingPlace();
        await _writeState();
        _stored(await _outbox.FlushAsync());
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
    }

    /// <summary>
    /// The latest unlogged event carries where the interaction now waits (or that it waits nowhere), so the log's
    /// latest-state index can rebuild its queues' waiting lines after a restart without activating it.
    /// </summary>
    private void StampWaitingPlace()
    {
        // The index takes its row from the latest event that names a state.
        var record = _record();
        var latest = record.UnloggedEvents.FindLastIndex(e => e.To is not null);
        if (latest < 0 || record.Current is not { } current)
        {
            return;
        }

        var place = current.State == InteractionState.Queued
            ? new WaitingPlace(InteractionQueueEntries.For(current, record.PreferredAgentWait, record.OverflowedFrom), record.AlsoQueues)
            : null;
        record.UnloggedEvents[latest] = record.UnloggedEvents[latest] with { Waiting = place };
    }
}
