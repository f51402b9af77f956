using System.Collections.Immutable;

namespace Omnichannel.Routing.Abstractions;

/// <summary>The installation's channels (one grain, key "default"). Built-in channels exist from the start.</summary>
public interface IChannelCatalogGrain : IGrainWithStringKey
{
    Task<ChannelConfig> Upsert(ChannelConfig channel, Actor actor);

    Task<ImmutableDictionary<string, ChannelConfig>> GetAll();
}

/// <summary>
/// One shard of the set of defined ids of a kind ("agents", "queues"), so lists can be paged in id order without
/// one grain holding every id. Key: "{kind}/{shard}".
/// </summary>
public interface IRegistryShardGrain : IGrainWithStringKey
{
    Task Add(string id);

    /// <summary>Up to <paramref name="max"/> ids greater than <paramref name="after"/>, in ordinal order.</summary>
    Task<ImmutableArray<string>> ListAfter(string? after, int max);
}

/// <summary>Where a defined id is registered.</summary>
public static class Registry
{
    public const int Shards = 16;

    public const string Agents = "agents";

    public const string Queues = "queues";

    public static string ShardKey(string kind, string id) => $"{kind}/{Shard(id)}";

    public static int Shard(string id)
    {
        // FNV-1a: stable across processes and versions, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Shards);
    }
}
