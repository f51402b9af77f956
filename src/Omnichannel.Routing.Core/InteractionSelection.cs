namespace Omnichannel.Routing.Core;

/// <summary>
/// The best waiting interaction one queue (or one shard of a queue) has for an agent: a queue's answer to an agent
/// asking for work, which the agent compares across its queues and shards.
/// </summary>
/// <param name="QueueId">The queue's id (the same for all shards of one queue).</param>
/// <param name="InteractionId">The interaction.</param>
/// <param name="BasePriority">Its base priority.</param>
/// <param name="AgingRate">The queue's aging rate.</param>
/// <param name="Arrival">When its wait began.</param>
/// <param name="Sequence">The queue's arrival number (distinct across the shards of one queue).</param>
/// <param name="Shard">The shard of the queue that holds it; 0 for an unsharded queue.</param>
public readonly record struct QueueCandidate(
    string QueueId,
    string InteractionId,
    int BasePriority,
    double AgingRate,
    DateTimeOffset Arrival,
    long Sequence,
    int Shard = 0);

/// <summary>
/// Interaction selection (contract §3.3): an agent that gains capacity takes, across all its queues, the candidate with
/// the highest effective priority; ties by earliest arrival, then queue id and queue sequence, so it is deterministic.
/// </summary>
/// <remarks>
/// Candidates from shards of one queue are first narrowed to that queue's best by the queue's own order
/// (<see cref="QueueOrder"/>, the order of its <see cref="WaitingList"/>): the best of the shards' bests is the best
/// of their union, so a sharded queue answers exactly what one unsharded queue holding every shard's interactions
/// would. The queues' answers are then compared as before.
/// </remarks>
public static class InteractionSelection
{
    public static QueueCandidate? Best(IEnumerable<QueueCandidate> candidates, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        QueueCandidate? best = null;
        var bestPriority = double.NegativeInfinity;
        foreach (var c in BestPerQueue(candidates))
        {
            var p = EffectivePriority.At(c.BasePriority, c.AgingRate, c.Arrival, now);
            if (best is null || IsBetter(p, c, bestPriority, best.Value))
            {
                best = c;
                bestPriority = p;
            }
        }

        return best;
    }

    /// <summary>
    /// The best of one queue's shards' answers, by the queue's order; null when none answered. All candidates must
    /// come from shards of the same queue (same queue id and aging rate).
    /// </summary>
    public static QueueCandidate? BestOfShards(IEnumerable<QueueCandidate> shardBests)
    {
        ArgumentNullException.ThrowIfNull(shardBests);
        QueueCandidate? best = null;
        foreach (var c in shardBests)
        {
            if (best is null || QueueOrder.Compare(c.AgingRate, Key(c), Key(best.Value)) < 0)
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>Each queue's best candidate: shards of one queue (same queue id) narrowed to one, in first-seen order.</summary>
    private static IEnumerable<QueueCandidate> BestPerQueue(IEnumerable<QueueCandidate> candidates) =>
        candidates.GroupBy(c => c.QueueId, StringComparer.Ordinal).Select(g => BestOfShards(g)!.Value);

    private static (int, DateTimeOffset, long, string) Key(QueueCandidate c) => (c.BasePriority, c.Arrival, c.Sequence, c.InteractionId);

    private static bool IsBetter(double p, QueueCandidate c, double bestP, QueueCandidate best)
    {
        if (p != bestP)
        {
            return p > bestP;
        }

        if (c.Arrival != best.Arrival)
        {
            return c.Arrival < best.Arrival;
        }

        var byQueue = string.CompareOrdinal(c.QueueId, best.QueueId);
        return byQueue != 0 ? byQueue < 0 : c.Sequence < best.Sequence;
    }
}
