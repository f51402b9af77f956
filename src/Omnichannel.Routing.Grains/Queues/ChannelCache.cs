using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// The channel catalog as a queue last read it, read again once it is older than <paramref name="maxAge"/>: a claim
/// needs the channel's auto-accept and wrap-up, and most claims should not cost a call for them.
/// </summary>
/// <param name="read">Reads the whole catalog.</param>
/// <param name="clock">The routing clock.</param>
/// <param name="maxAge">How long a read stays good.</param>
internal sealed class ChannelCache(Func<Task<ImmutableDictionary<string, ChannelConfig>>> read, TimeProvider clock, TimeSpan maxAge)
{
    private ImmutableDictionary<string, ChannelConfig> _channels = ImmutableDictionary<string, ChannelConfig>.Empty;
    private DateTimeOffset _readAt;

    public async Task RefreshAsync()
    {
        _channels = await read();
        _readAt = clock.GetUtcNow();
    }

    /// <summary>The channel's configuration, reading the catalog first if the last read is too old.</summary>
    public async ValueTask<ChannelConfig?> GetAsync(string channel)
    {
        if (clock.GetUtcNow() - _readAt > maxAge)
        {
            await RefreshAsync();
        }

        return _channels.GetValueOrDefault(channel);
    }
}
