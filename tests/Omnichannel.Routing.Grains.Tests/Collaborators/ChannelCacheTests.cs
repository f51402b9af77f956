using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Grains.Queues;
using static Omnichannel.Routing.Grains.Tests.Collaborators.QueueTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class ChannelCacheTests
{
    private readonly FakeTimeProvider _clock = new(T0);
    private int _reads;
    private bool _autoAccept;

    [Fact]
    public async Task A_recent_read_is_reused()
    {
        var cache = Cache();
        await cache.RefreshAsync();
        _autoAccept = true;
        _clock.Advance(TimeSpan.FromSeconds(5));

        var chat = await cache.GetAsync("chat");

        Assert.Equal(1, _reads);
        Assert.False(chat!.AutoAccept);
    }

    [Fact]
    public async Task An_old_read_is_read_again()
    {
        var cache = Cache();
        await cache.RefreshAsync();
        _autoAccept = true;
        _clock.Advance(TimeSpan.FromSeconds(6));

        var chat = await cache.GetAsync("chat");

        Assert.Equal(2, _reads);
        Assert.True(chat!.AutoAccept);
    }

    [Fact]
    public async Task A_channel_never_read_is_read_first_and_an_unknown_one_is_null()
    {
        var cache = Cache();

        Assert.NotNull(await cache.GetAsync("chat"));
        Assert.Null(await cache.GetAsync("fax"));
        Assert.Equal(1, _reads);
    }

    private ChannelCache Cache() => new(Read, _clock, TimeSpan.FromSeconds(5));

    private Task<ImmutableDictionary<string, ChannelConfig>> Read()
    {
        _reads++;
        return Task.FromResult(ImmutableDictionary<string, ChannelConfig>.Empty.Add("chat", new ChannelConfig("chat", "Chat", _autoAccept, TimeSpan.Zero)));
    }
}
