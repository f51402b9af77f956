using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// The interactions waiting in a queue: the core's <see cref="WaitingList"/>, which orders them, beside the entry
/// each arrived with, which the queue hands on to the agent that takes it. Both change together here.
/// </summary>
internal sealed class WaitingRoom
{
    private readonly Dictionary<string, QueueEntry> _entries = new(StringComparer.Ordinal);
    private long _sequence;
    private int _shard;

    /// <summary>The waiting interactions in priority order; replaced when the aging rate changes.</summary>
    public WaitingList List { get; private set; } = new(EffectivePriority.DefaultAgingRate);

    public int Count => List.Count;

    public bool Contains(string interactionId) => List.Contains(interactionId);

    public bool TryGet(string interactionId, out WaitingInteraction waiting) => List.TryGet(interactionId, out waiting);

    public QueueEntry EntryOf(string interactionId) => _entries[interactionId];

    /// <summary>
    /// The next arrival number, the last tie-break between interactions; distinct across the shards of one queue
    /// (see <see cref="QueueOrder.ShardSequence"/>), so the shards' answers compare as one line's would.
    /// </summary>
    public long NextSequence() => QueueOrder.ShardSequence(++_sequence, _shard, QueueShardKey.MaxShards);

    /// <summary>The room is shard <paramref name="shard"/> of its queue (0 when the queue is not sharded).</summary>
    public void UseShard(int shard) => _shard = shard;

    public void Add(WaitingInteraction waiting, QueueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        List.Add(waiting);
        _entries[waiting.InteractionId] = entry;
    }

    public void Replace(WaitingInteraction updated) => List.Replace(updated);

    /// <summary>Changes the base priority of a waiting interaction and of the entry it hands on.</summary>
    public WaitingInteraction? Reprioritize(string interactionId, int priority)
    {
        if (!List.TryGet(interactionId, out var waiting))
        {
            return null;
        }

        var updated = waiting with { BasePriority = priority };
        List.Replace(updated);
        _entries[interactionId] = _entries[interactionId] with { BasePriority = priority };
        return updated;
    }

    /// <summary>Takes an interaction out of the wait; returns the entry it arrived with, or null if it was not waiting.</summary>
    public QueueEntry? Remove(string interactionId)
    {
        if (List.Remove(interactionId) is null)
        {
            return null;
        }

        _entries.Remove(interactionId, out var entry);
        return entry;
    }

    /// <summary>Orders the waiting interactions by <paramref name="agingRate"/> from now on.</summary>
    public void UseAgingRate(double agingRate)
    {
        if (List.AgingRate == agingRate)
        {
            return;
        }

        var rebuilt = new WaitingList(agingRate);
        foreach (var item in List.Items)
        {
            rebuilt.Add(item);
        }

        List = rebuilt;
    }
}
