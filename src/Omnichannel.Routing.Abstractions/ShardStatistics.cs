namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// One view of a queue from its shards' views: counts add up, the longest wait is the longest of any shard, averages
/// and the service level are weighted by what each shard answered, and the agents are the same members in every
/// shard, so shard 0's count stands. The estimated wait is the longest shard's: each shard estimates as if all the
/// members served it alone, so the longest is the closest to the truth.
/// </summary>
public static class ShardStatistics
{
    public static QueueStatsView Merge(IReadOnlyList<QueueStatsView> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var first = shards[0];
        var answered = shards.Sum(s => s.Answered);
        return first with
        {
            Waiting = shards.Sum(s => s.Waiting),
            Offered = shards.Sum(s => s.Offered),
            Connected = shards.Sum(s => s.Connected),
            LongestWait = shards.Max(s => s.LongestWait),
            AverageWait = answered == 0 ? first.AverageWait : TimeSpan.FromTicks((long)shards.Sum(s => (double)s.AverageWait.Ticks * s.Answered / answered)),
            ServiceLevelPercent = answered == 0 ? first.ServiceLevelPercent : shards.Sum(s => s.ServiceLevelPercent * s.Answered / answered),
            Abandoned = shards.Sum(s => s.Abandoned),
            EstimatedWait = shards.Max(s => s.EstimatedWait),
            Answered = answered,
            UpdatedAt = shards.Max(s => s.UpdatedAt),
            Sequence = shards.Max(s => s.Sequence),
        };
    }

    /// <summary>The shards' lists taken in turn: the first of each, then the second of each, and so on.</summary>
    public static IEnumerable<string> Interleave(IReadOnlyList<IReadOnlyList<string>> lists)
    {
        ArgumentNullException.ThrowIfNull(lists);
        for (var i = 0; lists.Any(l => i < l.Count); i++)
        {
            foreach (var list in lists.Where(l => i < l.Count))
            {
                yield return list[i];
            }
        }
    }
}
