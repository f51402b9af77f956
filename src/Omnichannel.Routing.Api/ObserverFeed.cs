using System.Threading.Channels;

namespace Omnichannel.Routing.Api;

/// <summary>
/// What a grain observer delivers to one gRPC stream, and the loop that writes it. The observer writes into the feed
/// from Orleans' threads, and so does the host's <see cref="ObserverRenewals"/>; <see cref="PumpAsync"/> is the
/// stream's only writer, since IServerStreamWriter is not thread-safe.
/// </summary>
/// <typeparam name="T">What the observer delivers.</typeparam>
internal sealed class ObserverFeed<T>
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Where the observer writes; it never blocks.</summary>
    public ChannelWriter<T> Writer => _items.Writer;

    /// <summary>Ends the stream with <paramref name="error"/> once what was written before it is written.</summary>
    public void Fail(Exception error) => _items.Writer.TryComplete(error);

    /// <summary>
    /// Writes each item as it comes, until <paramref name="write"/> answers false (the stream is done), the feed
    /// completes (with the error it failed with, if any), or the caller goes away.
    /// </summary>
    public async Task PumpAsync(Func<T, Task<bool>> write, CancellationToken cancellationToken)
    {
        while (await _items.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_items.Reader.TryRead(out var next))
            {
                if (!await write(next))
                {
                    return;
                }
            }
        }
    }
}
