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

    public async Task RunAsync(IClusterClient client, IEnumerable<StreamId> streams, Func<Task<T[]>> readCurrent, Func<T, Task> write, CancellationToken cancellationToken)
    {
        await using var subscription = await LiveFeedSubscription.SubscribeAsync<T>(client, streams, figures =>
        {
            if (matches(figures))
            {
                Post(figures);
            }
        });
        foreach (var figures in await readCurrent())
        {
            Post(figures);
        }

        try
        {
            // This loop is the stream's only writer.
            while (!cancellationToken.IsCancellationRequested)
            {
                await _buffer.WaitAsync(cancellationToken);
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
    }

    private void Post(T figures) => _buffer.Post(keyOf(figures), figures, sequenceOf(figures));
}
