using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Api;

/// <summary>
/// One watcher of live figures (agent occupancy, queue statistics): subscribes to the feed first and then reads the
/// current figures, so nothing changes unseen between the two, and writes the newest figures per key as they come
/// until the watcher goes away. Out-of-order or repeated figures are dropped by their sequence.
/// </summary>
/// <typeparam name="T">The figures.</typeparam>
internal sealed class LiveFeedWatch<T>(Func<T, string> keyOf, Func<T, long> sequenceOf, Func<T, bool> matches)
{
    private readonly LatestValueBuffer<string, T> _buffer = new();

    /// <summary>How often a watch renews itself with the audience (a quarter of its lease).</summary>
    public static readonly TimeSpan WatchRenewal = TimeSpan.FromSeconds(30);

    public async Task RunAsync(IClusterClient client, ObserverRenewals renewals, IEnumerable<StreamId> streams, Func<Task<T[]>> readCurrent, Func<T, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(renewals);
        var watched = streams.ToImmutableArray();
        var subscription = await LiveFeedSubscription.SubscribeAsync<T>(client, watched, figures =>
        {
            if (matches(figures))
            {
                Post(figures);
            }
        });
        await using var unsubscribe = subscription;

        // Grains publish only to watched streams: the silos hear of this watch before the current figures are read.
        var audience = client.GetGrain<ILiveFeedAudienceGrain>(ILiveFeedAudienceGrain.Key);
        var watchId = Guid.NewGuid().ToString("N");
        await audience.Watch(watchId, watched);
        var lost = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var renewal = renewals.Every(WatchRenewal, () => audience.Watch(watchId, watched), error => lost.TrySetResult(error));
        try
        {
            foreach (var figures in await readCurrent())
            {
                Post(figures);
            }

            // This loop is the stream's only writer.
            while (!cancellationToken.IsCancellationRequested)
            {
                var ready = _buffer.WaitAsync(cancellationToken);
                if (await Task.WhenAny(ready, lost.Task) == lost.Task)
                {
                    // The audience could not be reached: end the watch rather than let it go quiet.
                    ExceptionDispatchInfo.Throw(await lost.Task);
                }

                await ready;
                while (_buffer.TryTake(out var next))
                {
                    await write(next);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The watcher went away.
        }
        finally
        {
            audience.Unwatch(watchId).Ignore();
        }
    }

    private void Post(T figures) => _buffer.Post(keyOf(figures), figures, sequenceOf(figures));
}
