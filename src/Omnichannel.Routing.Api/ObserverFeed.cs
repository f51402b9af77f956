using System.Threading.Channels;

namespace Omnichannel.Routing.Api;

/// <summary>
/// What a grain observer delivers to one gRPC stream, and the loop that writes it. The observer writes into the feed
/// from Orleans' threads; <see cref="PumpAsync"/> is the stream's only writer, since IServerStreamWriter is not
/// thread-safe, and it also renews the observer's registration on a period so a lost activation is noticed.
/// </summary>
/// <typeparam name="T">What the observer delivers.</typeparam>
internal sealed class ObserverFeed<T>
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Where the observer writes; it never blocks.</summary>
    public ChannelWriter<T> Writer => _items.Writer;

    /// <summary>
    /// Writes each item as it comes and calls <paramref name="renew"/> every <paramref name="renewal"/>, until
    /// <paramref name="write"/> answers false (the stream is done), the feed completes, or the caller goes away.
    /// </summary>
    public async Task PumpAsync(TimeSpan renewal, Func<Task> renew, Func<T, Task<bool>> write, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(renewal);
        var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
        var read = _items.Reader.WaitToReadAsync(cancellationToken).AsTask();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await Task.WhenAny(read, tick) == tick)
            {
                await tick;
                await renew();
                tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
                continue;
            }

            if (!await read)
            {
                return;
            }

            while (_items.Reader.TryRead(out var next))
            {
                if (!await write(next))
                {
                    return;
                }
            }

            read = _items.Reader.WaitToReadAsync(cancellationToken).AsTask();
        }
    }
}
