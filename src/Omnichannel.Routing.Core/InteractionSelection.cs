namespace Omnichannel.Routing.Core;

/// <summary>
/// The best waiting interaction one queue has for an agent: a queue's answer to an agent asking for work, which the
/// agent compares across its queues.
/// </summary>
public readonly record struct QueueCandidate(
    string QueueId,
    string InteractionId,
    int BasePriority,
    double AgingRate,
    DateTimeOffset Arrival,
    long Sequence);

/// <summary>
/// Interaction selection (contract §3.3): an agent that gains capacity takes, across all its queues, the candidate with
/// the highest effective priority; ties by earliest arrival, then queue id and queue sequence, so it is deterministic.
/// </summary>
public static class InteractionSelection
{
    public static QueueCandidate? Best(IEnumerable<QueueCandidate> candidates, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        QueueCandidate? best = null;
        var bestPriority = double.NegativeInfinity;
        foreach (var c in candidates)
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
