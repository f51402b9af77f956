using System.Globalization;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// The grain key of one shard of a queue. A hot queue may be split into <see cref="QueueConfig.Shards"/> queue grains
/// that share its members and configuration; shard 0 is the grain keyed by the queue id itself (so an unsharded queue
/// is exactly as before), shard k &gt; 0 the grain keyed "<c>queue-id#k</c>". Queue ids may not contain
/// <see cref="Separator"/>, so a shard's key never names another queue.
/// </summary>
/// <param name="QueueId">The queue's id, the same for all of its shards.</param>
/// <param name="Shard">The shard, 0 to shards - 1.</param>
public readonly record struct QueueShardKey(string QueueId, int Shard)
{
    /// <summary>The most shards one queue may have.</summary>
    public const int MaxShards = 64;

    /// <summary>Between the queue id and the shard number; the API's id rule forbids it in queue ids.</summary>
    public const char Separator = '#';

    /// <summary>The key of the queue grain that holds this shard.</summary>
    public string GrainKey => Shard == 0 ? QueueId : string.Create(CultureInfo.InvariantCulture, $"{QueueId}{Separator}{Shard}");

    /// <summary>Reads a queue grain's key: a queue id alone is shard 0.</summary>
    public static QueueShardKey Parse(string grainKey)
    {
        ArgumentNullException.ThrowIfNull(grainKey);
        var at = grainKey.LastIndexOf(Separator);
        return at > 0 && int.TryParse(grainKey.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var shard) && shard is > 0 and < MaxShards
            ? new QueueShardKey(grainKey[..at], shard)
            : new QueueShardKey(grainKey, 0);
    }

    /// <summary>The queue id a queue grain's key belongs to.</summary>
    public static string QueueIdOf(string grainKey) => Parse(grainKey).QueueId;

    /// <summary>The grain keys of all <paramref name="shards"/> shards of a queue, shard 0 first.</summary>
    public static IEnumerable<string> AllOf(string queueId, int shards) =>
        Enumerable.Range(0, Math.Clamp(shards, 1, MaxShards)).Select(k => new QueueShardKey(queueId, k).GrainKey);

    /// <summary>Whether an interaction waits in this shard when the queue has <paramref name="shards"/> shards.</summary>
    public bool Holds(string interactionId, int shards) => For(QueueId, interactionId, shards).Shard == Shard;

    /// <summary>
    /// The shard an interaction waits in: a stable hash of its id (FNV-1a, the same in every process and build) modulo
    /// the shard count. Stable, so every call about a waiting interaction finds it without asking anyone.
    /// </summary>
    public static QueueShardKey For(string queueId, string interactionId, int shards)
    {
        ArgumentNullException.ThrowIfNull(interactionId);
        if (shards <= 1)
        {
            return new QueueShardKey(queueId, 0);
        }

        var hash = 2166136261u;
        foreach (var c in interactionId)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return new QueueShardKey(queueId, (int)(hash % (uint)Math.Min(shards, MaxShards)));
    }
}
