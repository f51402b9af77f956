using Omnichannel.Routing.Abstractions;
using Orleans.Streams;

namespace Omnichannel.Routing.Api;

/// <summary>One watcher's subscriptions to live-feed streams, undone when it goes away.</summary>
/// <typeparam name="T">The figures the streams carry.</typeparam>
public sealed class LiveFeedSubscription<T> : IAsyncDisposable
{
    private readonly List<StreamSubscriptionHandle<T>> _handles;

    internal LiveFeedSubscription(List<StreamSubscriptionHandle<T>> handles)
    {
        _handles = handles;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var handle in _handles)
        {
            await handle.UnsubscribeAsync();
        }
    }
}

/// <summary>Subscribes watchers to live-feed streams.</summary>
public static class LiveFeedSubscription
{
    public static async Task<LiveFeedSubscription<T>> SubscribeAsync<T>(IClusterClient client, IEnumerable<StreamId> streams, Action<T> onNext)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(streams);
        var provider = client.GetStreamProvider(LiveFeeds.Provider);
        var handles = new List<StreamSubscriptionHandle<T>>();
        foreach (var id in streams)
        {
            handles.Add(await provider.GetStream<T>(id).SubscribeAsync((item, _) =>
            {
                onNext(item);
                return Task.CompletedTask;
            }));
        }

        return new LiveFeedSubscription<T>(handles);
    }
}
