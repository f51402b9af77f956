using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// Which shard of a queue the interaction waits in (see <see cref="QueueShardKey"/>): its id's hash modulo the queue's
/// shard count, which the record keeps for each sharded queue it has met. The count is learned from the queue's
/// answers (admission, enqueue) and cannot change while the interaction waits, so every later call — remove, locate,
/// reprioritise, progress — reaches the shard that holds it without asking anyone.
/// </summary>
internal sealed class QueueShardBook
{
    private readonly string _interactionId;
    private readonly Func<InteractionRecord> _record;
    private readonly Func<string, IQueueGrain> _grainByKey;

    /// <param name="interactionId">The interaction.</param>
    /// <param name="record">Its stored record, which keeps the counts.</param>
    /// <param name="grainByKey">Resolves a queue grain by its key (a queue id, or a shard's key).</param>
    public QueueShardBook(string interactionId, Func<InteractionRecord> record, Func<string, IQueueGrain> grainByKey)
    {
        _interactionId = interactionId;
        _record = record;
        _grainByKey = grainByKey;
    }

    /// <summary>The queue grain of the interaction's own shard of <paramref name="queueId"/>.</summary>
    public IQueueGrain Own(string queueId) => _grainByKey(QueueShardKey.For(queueId, _interactionId, CountOf(queueId)).GrainKey);

    /// <summary>The grain that speaks for the whole queue (shard 0): admission and configuration.</summary>
    public IQueueGrain Whole(string queueId) => _grainByKey(queueId);

    public int CountOf(string queueId) => _record().QueueShards.GetValueOrDefault(queueId, 1);

    /// <summary>Notes how many shards <paramref name="queueId"/> has; unsharded queues are not kept.</summary>
    public void Learn(string queueId, int shards)
    {
        var known = _record().QueueShards;
        _record().QueueShards = shards > 1 ? known.SetItem(queueId, shards) : known.Remove(queueId);
    }

    /// <summary>Waits in the interaction's shard of the queue, and keeps the shard count the queue answers with.</summary>
    public async Task<EnqueueResult> EnqueueAsync(string queueId, QueueEntry entry)
    {
        var result = await Own(queueId).Enqueue(entry);
        Learn(queueId, result.Shards);
        return result;
    }

    /// <summary>
    /// Where the waiting interaction is in its queue: its place in its own shard plus, for a sharded queue, those
    /// ahead of it in every other shard (asked together). Null when its shard does not have it. The estimated wait is
    /// its own shard's.
    /// </summary>
    public async Task<EnqueueResult?> LocateAsync(InteractionSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var shards = CountOf(current.QueueId);
        var own = QueueShardKey.For(current.QueueId, _interactionId, shards).GrainKey;
        var located = await _grainByKey(own).Locate(_interactionId);
        if (located is null || shards <= 1)
        {
            return located;
        }

        var ahead = await Task.WhenAll(QueueShardKey.AllOf(current.QueueId, shards)
            .Where(key => key != own)
            .Select(key => _grainByKey(key).CountAhead(current.Channel, current.BasePriority, current.ArrivalAt)));
        return located with { Position = located.Position + ahead.Sum() };
    }

    /// <summary>Reads the shard count from the queue itself, before the first call to one of its shards.</summary>
    public async Task LearnAsync(string queueId) => Learn(queueId, (await Whole(queueId).GetConfig())?.Shards ?? 1);

    internal static ImmutableDictionary<string, int> None { get; } = ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);
}
