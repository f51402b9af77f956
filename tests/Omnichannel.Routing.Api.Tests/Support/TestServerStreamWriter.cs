using System.Threading.Channels;
using Grpc.Core;

namespace Omnichannel.Routing.Api.Tests.Support;

/// <summary>A server stream that keeps what the service writes, for the test to read in order.</summary>
/// <typeparam name="T">The messages of the stream.</typeparam>
public sealed class TestServerStreamWriter<T> : IServerStreamWriter<T>
    where T : class
{
    private readonly Channel<T> _written = Channel.CreateUnbounded<T>();

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    /// <summary>The overload the services call; the interface's default refuses a cancellable token.</summary>
    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _written.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    /// <summary>The next message written, waiting for it up to <see cref="ApiHost.Wait"/>.</summary>
    public async Task<T> NextAsync()
    {
        using var timeout = new CancellationTokenSource(ApiHost.Wait);
        return await _written.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Skips messages until one matches, waiting up to <see cref="ApiHost.Wait"/> in all.</summary>
    public async Task<T> NextMatchingAsync(Func<T, bool> match)
    {
        using var timeout = new CancellationTokenSource(ApiHost.Wait);
        while (true)
        {
            var next = await _written.Reader.ReadAsync(timeout.Token);
            if (match(next))
            {
                return next;
            }
        }
    }
}
