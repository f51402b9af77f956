namespace Omnichannel.Routing.Core;

/// <summary>
/// The order of one queue's waiting line (contract §3.3): highest effective priority first, then earliest arrival,
/// then the queue's sequence, then interaction id. One comparison serves the <see cref="WaitingList"/> and the choice
/// between the shards of one queue (see <see cref="InteractionSelection"/>), so a sharded queue and an unsharded one
/// order the same interactions the same way.
/// </summary>
public static class QueueOrder
{
    /// <summary>Negative when x comes first. Uses the time-invariant <see cref="EffectivePriority.OrderingKey"/>.</summary>
    public static int Compare(
        double agingRate,
        (int BasePriority, DateTimeOffset Arrival, long Sequence, string InteractionId) x,
        (int BasePriority, DateTimeOffset Arrival, long Sequence, string InteractionId) y)
    {
        var kx = EffectivePriority.OrderingKey(x.BasePriority, agingRate, x.Arrival);
        var ky = EffectivePriority.OrderingKey(y.BasePriority, agingRate, y.Arrival);
        var c = ky.CompareTo(kx);
        if (c != 0)
        {
            return c;
        }

        c = x.Arrival.CompareTo(y.Arrival);
        if (c != 0)
        {
            return c;
        }

        c = x.Sequence.CompareTo(y.Sequence);
        return c != 0 ? c : string.CompareOrdinal(x.InteractionId, y.InteractionId);
    }

    /// <summary>
    /// The sequence a shard gives its next arrival: the shard's own counter interleaved with the shard number, so the
    /// numbers of all shards of one queue are distinct and each shard's stay in its own arrival order. With one shard
    /// the order is the counter's order, as before sharding.
    /// </summary>
    public static long ShardSequence(long counter, int shard, int maxShards) => (counter * maxShards) + shard;
}
