using System.Collections.Immutable;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// Speaks to a queue as a whole when it is split into shards (<see cref="QueueConfig.Shards"/>): configures, opens and
/// closes every shard, and merges what they answer. A queue grain never awaits another grain, so the fan-out lives
/// here, with the callers (the API, recovery). For an unsharded queue every call is the one call it always was.
/// </summary>
public sealed class QueueShards(IGrainFactory grains)
{
    /// <summary>The grain that speaks for the queue: shard 0, keyed by the queue id.</summary>
    public IQueueGrain Queue(string queueId) => grains.Queue(queueId);

    /// <summary>
    /// Stores the configuration in every shard, shard 0 last (it tells the members, who then join the other shards).
    /// Changing the shard count is refused with FAILED_PRECONDITION naming <c>shards</c> while any interaction waits:
    /// where one waits follows from the count.
    /// </summary>
    public async Task<QueueConfig> ConfigureAsync(QueueConfig config, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(config);
        var previous = await Queue(config.QueueId).GetConfig();
        var before = previous?.Shards ?? 1;
        var spread = Math.Max(before, config.Shards);
        if (previous is not null && before != config.Shards)
        {
            var waiting = await Task.WhenAll(QueueShardKey.AllOf(config.QueueId, before).Select(k => grains.Queue(k).Recover()));
            if (waiting.Sum() > 0)
            {
                throw RoutingException.Precondition("shards", $"queue '{config.QueueId}' has {waiting.Sum()} interactions waiting; shards can change only while none waits");
            }
        }

        // Shards beyond a smaller count keep the new configuration too: an interaction that reaches one late is
        // sent on to its shard.
        foreach (var key in QueueShardKey.AllOf(config.QueueId, spread).Skip(1))
        {
            await grains.Queue(key).Configure(config, actor);
        }

        return await Queue(config.QueueId).Configure(config, actor);
    }

    /// <summary>Opens or closes every shard; shard 0 first, which refuses an unknown queue and records the change.</summary>
    public async Task<QueueConfig> SetOpenAsync(string queueId, bool open, Actor actor)
    {
        var changed = await Queue(queueId).SetOpen(open, actor);
        foreach (var key in QueueShardKey.AllOf(queueId, changed.Shards).Skip(1))
        {
            await grains.Queue(key).SetOpen(open, actor);
        }

        return changed;
    }

    /// <summary>The queue's statistics: every shard's, merged (see <see cref="ShardStatistics"/>).</summary>
    public async Task<QueueStatsView> GetStatsAsync(string queueId)
    {
        var first = await Queue(queueId).GetStats();
        var shards = await ShardCountAsync(queueId);
        if (shards <= 1)
        {
            return first;
        }

        var rest = await Task.WhenAll(QueueShardKey.AllOf(queueId, shards).Skip(1).Select(k => grains.Queue(k).GetStats()));
        return ShardStatistics.Merge([first, .. rest]);
    }

    /// <summary>Up to <paramref name="max"/> waiting interactions of the channels, taken from the shards in turn, each shard's oldest first.</summary>
    public async Task<ImmutableArray<string>> OldestWaitingAsync(string queueId, int max, ImmutableArray<string> channels)
    {
        var shards = await ShardCountAsync(queueId);
        var answers = await Task.WhenAll(QueueShardKey.AllOf(queueId, shards).Select(k => grains.Queue(k).OldestWaiting(max, channels)));
        return [.. ShardStatistics.Interleave([.. answers.Select(a => (IReadOnlyList<string>)a)]).Take(max)];
    }

    /// <summary>Recovery: activates every shard, each rebuilding its part of the waiting line; answers how many wait.</summary>
    public async Task<int> RecoverAsync(string queueId)
    {
        var waiting = await Queue(queueId).Recover();
        var shards = await ShardCountAsync(queueId);
        var rest = await Task.WhenAll(QueueShardKey.AllOf(queueId, shards).Skip(1).Select(k => grains.Queue(k).Recover()));
        return waiting + rest.Sum();
    }

    private async Task<int> ShardCountAsync(string queueId) => (await Queue(queueId).GetConfig())?.Shards ?? 1;
}
