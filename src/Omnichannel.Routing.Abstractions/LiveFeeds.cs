using System.Globalization;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// The Orleans streams that carry live figures from grains to watchers (WatchAgentOccupancy, WatchQueueStats).
/// Grains publish each change once, whoever watches; a stream per registry shard keeps the number of streams fixed
/// while letting a watcher of a few agents or queues subscribe to their shards only.
/// </summary>
public static class LiveFeeds
{
    public const string Provider = "live";
    public const string OccupancyNamespace = "occupancy";
    public const string QueueStatsNamespace = "queue-stats";

    public static StreamId OccupancyStream(string agentId) => StreamId.Create(OccupancyNamespace, ShardKey(agentId));

    public static StreamId QueueStatsStream(string queueId) => StreamId.Create(QueueStatsNamespace, ShardKey(queueId));

    /// <summary>Every shard's stream of a namespace: what a watcher of everything subscribes to.</summary>
    public static IEnumerable<StreamId> AllStreams(string streamNamespace) =>
        Enumerable.Range(0, Registry.Shards).Select(s => StreamId.Create(streamNamespace, s.ToString(CultureInfo.InvariantCulture)));

    private static string ShardKey(string id) => Registry.Shard(id).ToString(CultureInfo.InvariantCulture);
}
