using System.Text;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Api;

/// <summary>
/// Pages through defined ids in ordinal order across the registry's shards. A page token is the last id of the
/// previous page, so pages stay consistent while ids are added.
/// </summary>
public sealed class RegistryPager(IGrainFactory grains)
{
    public async Task<(IReadOnlyList<string> Ids, string NextPageToken)> PageAsync(string kind, int pageSize, string? pageToken)
    {
        var after = DecodeToken(pageToken);
        var shards = await Task.WhenAll(Enumerable.Range(0, Registry.Shards)
            .Select(s => grains.GetGrain<IRegistryShardGrain>($"{kind}/{s}").ListAfter(after, pageSize + 1)));
        var merged = shards.SelectMany(s => s).Order(StringComparer.Ordinal).Take(pageSize + 1).ToList();
        return Page(merged, pageSize);
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

    private static string EncodeToken(string lastId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("after:" + lastId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            if (text.StartsWith("after:", StringComparison.Ordinal))
            {
                return text["after:".Length..];
            }
        }
        catch (FormatException)
        {
            // Falls through to the refusal below.
        }

        throw FieldRules.Invalid("page_token", "is not a token this service issued");
    }
}
