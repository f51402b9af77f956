using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Abstractions;
using Orleans.TestingHost;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>Live feeds are published only while watched: the silos know of a watch before its first figures are read.</summary>
[Collection(SharedRoutingCluster.Name)]
public sealed class LiveFeedAudienceTests(RoutingCluster cluster)
{
    private LiveFeedAudience Silo => ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost!.Services.GetRequiredService<LiveFeedAudience>();

    private ILiveFeedAudienceGrain Audience => cluster.Client.GetGrain<ILiveFeedAudienceGrain>(ILiveFeedAudienceGrain.Key);

    [Fact]
    public async Task A_watch_is_known_to_the_silo_before_it_starts_and_forgotten_as_it_ends()
    {
        var watchedAgent = LiveFeeds.OccupancyStream($"watched-{Guid.NewGuid():N}");
        var queueStats = LiveFeeds.QueueStatsStream($"watched-{Guid.NewGuid():N}");
        await HeardAsync();

        var watchId = Guid.NewGuid().ToString("N");
        await Audience.Watch(watchId, [watchedAgent]);

        Assert.True(Silo.IsWatched(watchedAgent));
        Assert.False(Silo.IsWatched(queueStats));

        await Audience.Watch(watchId, [watchedAgent]);
        await Audience.Unwatch(watchId);

        Assert.False(Silo.IsWatched(watchedAgent));
    }

    [Fact]
    public async Task A_stream_stays_watched_while_any_of_its_watchers_remains()
    {
        var stream = LiveFeeds.QueueStatsStream($"shared-{Guid.NewGuid():N}");
        var first = Guid.NewGuid().ToString("N");
        var second = Guid.NewGuid().ToString("N");
        await HeardAsync();

        await Audience.Watch(first, [stream]);
        await Audience.Watch(second, [stream]);
        await Audience.Unwatch(first);

        Assert.True(Silo.IsWatched(stream));

        await Audience.Unwatch(second);
        Assert.False(Silo.IsWatched(stream));
    }

    /// <summary>Until the silo has heard who watches, it counts every stream as watched.</summary>
    private async Task HeardAsync()
    {
        var nobodyWatches = LiveFeeds.QueueStatsStream($"unwatched-{Guid.NewGuid():N}");
        await Eventually.HoldsAsync(() => Task.FromResult(Silo.IsWatched(nobodyWatches)), watched => !watched, "the silo has heard who watches", Scenario.DefaultWait);
    }
}
