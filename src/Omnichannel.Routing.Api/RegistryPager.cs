using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Api;

/// <summary>
/// Pages through defined ids in ordinal order across the registry's shards, or through the members of one queue. A
/// page token is the last id of the previous page, so pages stay consistent while ids are added.
/// </summary>
public sealed class RegistryPager(IGrainFactory grains)
{
    private const string TokenPrefix = "after:";

    public async Task<(IReadOnlyList<string> Ids, string NextPageToken)> PageAsync(string kind, int pageSize, string? pageToken)
    {
        var after = DecodeToken(pageToken);
        var shards = await Task.WhenAll(Enumerable.Range(0, Registry.Shards)
            .Select(s => grains.GetGrain<IRegistryShardGrain>($"{kind}/{s}").ListAfter(after, pageSize + 1)));
        var merged = shards.SelectMany(s => s).Order(StringComparer.Ordinal).Take(pageSize + 1).ToList();
        return Page(merged, pageSize);
    }

    /// <summary>A page of the agents of one defined queue, or of every defined agent when <paramref name="queueId"/> is null.</summary>
    public async Task<(IReadOnlyList<string> Ids, string NextPageToken)> PageAgentsAsync(string? queueId, string queueField, int pageSize, string? pageToken) =>
        queueId is null
            ? await PageAsync(Registry.Agents, pageSize, pageToken)
            : PageOf(await QueueMembersAsync(queueId, queueField), pageSize, pageToken);

    /// <summary>Every defined id of a kind, in no particular order.</summary>
    public async Task<List<string>> AllAsync(string kind)
    {
        var all = new List<string>();
        for (var shard = 0; shard < Registry.Shards; shard++)
        {
            all.AddRange(await grains.GetGrain<IRegistryShardGrain>($"{kind}/{shard}").ListAfter(null, int.MaxValue));
        }

        return all;
    }

    /// <summary>The agents of a queue; NOT_FOUND naming <paramref name="field"/> when the queue is not defined.</summary>
    public async Task<ImmutableArray<string>> QueueMembersAsync(string queueId, string field)
    {
        var queue = grains.GetGrain<IQueueGrain>(queueId);
        _ = await queue.GetConfig() ?? throw RoutingException.NotFound(field, "queue", queueId);
        return await queue.GetMemberIds();
    }

    public static (IReadOnlyList<string> Ids, string NextPageToken) PageOf(IEnumerable<string> ids, int pageSize, string? pageToken)
    {
        var after = DecodeToken(pageToken);
        var sorted = ids
            .Where(id => after is null || string.CompareOrdinal(id, after) > 0)
            .Order(StringComparer.Ordinal)
            .Take(pageSize + 1)
            .ToList();
        return Page(sorted, pageSize);
    }

    private static (IReadOnlyList<string> Ids, string NextPageToken) Page(List<string> ids, int pageSize)
    {
        if (ids.Count <= pageSize)
        {
            return (ids, string.Empty);
        }

        var page = ids.Take(pageSize).ToList();
        return (page, EncodeToken(page[^1]));
    }

    private static string EncodeToken(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(TokenPrefix + lastId));

    private static string? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        if (Base64Url.IsValid(token))
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(TokenPrefix, StringComparison.Ordinal))
            {
                return text[TokenPrefix.Length..];
            }
        }

        throw FieldRules.Invalid("page_token", "is not a token this service issued");
    }
}
