using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class ShardStatisticsTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static QueueStatsView Shard(int waiting, long answered, double serviceLevel, int averageSeconds, int longestSeconds, int? estimateSeconds, long sequence) =>
        new("hot", true, waiting, 1, 2, TimeSpan.FromSeconds(longestSeconds), TimeSpan.FromSeconds(averageSeconds), serviceLevel, TimeSpan.FromMinutes(15),
            3, 10, 4, estimateSeconds is { } e ? TimeSpan.FromSeconds(e) : null, answered, At.AddSeconds(sequence), sequence);

    [Fact]
    public void Counts_add_up_the_longest_wait_is_the_longest_and_averages_are_weighted_by_what_was_answered()
    {
        var merged = ShardStatistics.Merge([Shard(5, 30, 90, 10, 40, 12, 7), Shard(3, 10, 50, 30, 70, null, 9)]);

        Assert.Equal((8, 2, 4, 6L, 40L), (merged.Waiting, merged.Offered, merged.Connected, merged.Abandoned, merged.Answered));
        Assert.Equal(TimeSpan.FromSeconds(70), merged.LongestWait);
        Assert.Equal(TimeSpan.FromSeconds(15), merged.AverageWait);
        Assert.Equal(80, merged.ServiceLevelPercent, 6);
        Assert.Equal((10, 4), (merged.AgentsEligible, merged.AgentsAvailable));
        Assert.Equal(TimeSpan.FromSeconds(12), merged.EstimatedWait);
        Assert.Equal((9L, At.AddSeconds(9)), (merged.Sequence, merged.UpdatedAt));
    }

    [Fact]
    public void Oldest_lists_are_taken_in_turn()
    {
        Assert.Equal(["a1", "b1", "a2", "b2", "a3"], ShardStatistics.Interleave([["a1", "a2", "a3"], ["b1", "b2"]]));
    }
}
