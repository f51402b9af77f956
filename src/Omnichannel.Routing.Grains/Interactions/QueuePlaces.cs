using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// The queues a waiting interaction is in: its own, and the queues it also waits in after an overflow in mode
/// "also" (kept in the state record). Leaving, rejoining and reprioritising go to all of them.
/// </summary>
internal sealed class QueuePlaces
{
    private readonly string _interactionId;
    private readonly Func<InteractionRecord> _record;
    private readonly Func<string, IQueueGrain> _queues;

    public QueuePlaces(string interactionId, Func<InteractionRecord> record, Func<string, IQueueGrain> queues)
    {
        _interactionId = interactionId;
        _record = record;
        _queues = queues;
    }

    /// <summary>Whether it waits in <paramref name="queueId"/>, its own or an "also" queue.</summary>
    public bool WaitsIn(InteractionSnapshot current, string queueId) =>
        current.QueueId == queueId || _record().AlsoQueues.Contains(queueId);

    /// <summary>Every queue it waits in, its own last.</summary>
    public IEnumerable<string> All(InteractionSnapshot current) => _record().AlsoQueues.Add(current.QueueId);

    /// <summary>Leaves its own queue and every other; it waits nowhere after.</summary>
    public async Task LeaveAllAsync(string ownQueueId)
    {
        foreach (var queueId in _record().AlsoQueues.Insert(0, ownQueueId))
        {
            await _queues(queueId).Remove(_interactionId);
        }

        _record().AlsoQueues = [];
    }

    /// <summary>An offer from <paramref name="keptQueueId"/> took it: every other queue lets it go.</summary>
    public async Task LeaveOthersAsync(InteractionSnapshot current, string keptQueueId)
    {
        foreach (var queueId in All(current).Where(q => q != keptQueueId))
        {
            await _queues(queueId).Remove(_interactionId);
        }

        _record().AlsoQueues = [];
    }

    /// <summary>Idempotent: a queue that still has it answers where it is; one that lost it takes it back.</summary>
    public async Task RejoinAllAsync(InteractionSnapshot current, QueueEntry entry)
    {
        foreach (var queueId in All(current))
        {
            await _queues(queueId).Enqueue(entry);
        }
    }

    /// <summary>A new base priority moves it to its new place in line in every queue.</summary>
    public async Task ReprioritizeAsync(InteractionSnapshot current, int priority)
    {
        foreach (var queueId in All(current))
        {
            await _queues(queueId).Reprioritize(_interactionId, priority);
        }
    }
}
