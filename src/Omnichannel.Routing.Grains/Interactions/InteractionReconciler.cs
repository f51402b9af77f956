using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// An unfinished interaction's periodic check that its queue or agent still agrees with it (a restart or a lost
/// one-way call may have left them apart), and the retry of events still waiting in its outbox.
/// </summary>
internal sealed class InteractionReconciler
{
    private static readonly TimeSpan OutboxRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan EndedOutboxRetry = TimeSpan.FromSeconds(5);

    private readonly string _interactionId;
    private readonly InteractionRecorder _recorder;
    private readonly EventOutbox _outbox;
    private readonly QueuePlaces _places;
    private readonly ConsultCoordinator _consult;
    private readonly Func<string, IAgentGrain> _agents;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _period;

    public InteractionReconciler(
        string interactionId,
        InteractionRecorder recorder,
        EventOutbox outbox,
        QueuePlaces places,
        ConsultCoordinator consult,
        Func<string, IAgentGrain> agents,
        TimeProvider clock,
        TimeSpan period)
    {
        _interactionId = interactionId;
        _recorder = recorder;
        _outbox = outbox;
        _places = places;
        _consult = consult;
        _agents = agents;
        _clock = clock;
        _period = period;
    }

    /// <summary>
    /// One check: a waiting interaction asks its queues to hold it (idempotent), handled work asks its agent (and a
    /// consulted agent or queue) to confirm. Returns when to check again, or null when it has ended and the log has
    /// every event, so nothing is left to check.
    /// </summary>
    public async Task<DateTimeOffset?> CheckAsync()
    {
        var now = _clock.GetUtcNow();
        DateTimeOffset? retry = await _outbox.FlushAsync() ? null : now + OutboxRetry;
        var record = _recorder.Record;
        if (record.Current is not { } current || InteractionLifecycle.IsEnded(current.State))
        {
            return record.Current is not null && !_outbox.IsEmpty ? Earliest(retry, now + EndedOutboxRetry) : null;
        }

        if (current.State == InteractionState.Queued)
        {
            await _places.RejoinAllAsync(current, InteractionQueueEntries.For(current, record.PreferredAgentWait, record.OverflowedFrom));
        }
        else
        {
            _agents(current.AgentId!).Reconcile(_interactionId).Ignore();
            await _consult.ResumeAsync(current);
        }

        return Earliest(retry, _clock.GetUtcNow() + _period);
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
