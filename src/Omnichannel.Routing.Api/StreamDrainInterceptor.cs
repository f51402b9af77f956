using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Hosting;

namespace Omnichannel.Routing.Api;

/// <summary>
/// Ends every server stream (offers, watches) with <c>UNAVAILABLE</c> as soon as the host starts to stop, so that
/// desktops and wallboards reconnect — to another silo behind the same address — while this one drains. Without it an
/// open stream holds the server's stop until <c>Host:ShutdownTimeout</c>, leaving Orleans no time to deactivate its
/// grains, and the desktop only learns of the stop when the connection is cut.
/// </summary>
public sealed class StreamDrainInterceptor(IHostApplicationLifetime lifetime) : Interceptor
{
    /// <summary>What a drained stream ends with; clients reconnect on it as on any UNAVAILABLE.</summary>
    public const string StoppingDetail = "this silo is stopping; reconnect (to another silo, if there is one)";

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var stopping = lifetime.ApplicationStopping;
        if (stopping.IsCancellationRequested)
        {
            throw Stopping();
        }

        // The handler watches this token (StreamCancellationToken) in place of the call's own.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        StreamCancellation.Set(context, ended.Token);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw Stopping();
        }

        // A handler that saw its token cancelled and returned quietly: the client must still learn it should reconnect.
        if (stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw Stopping();
        }
    }

    private static RpcException Stopping() => new(new Status(StatusCode.Unavailable, StoppingDetail));
}

/// <summary>The cancellation a server-streaming handler watches: the call's own, and the host's stop.</summary>
public static class StreamCancellation
{
    private static readonly object Key = new();

    /// <summary>
    /// What a streaming handler waits on in place of <see cref="ServerCallContext.CancellationToken"/>: cancelled
    /// when the client goes away or when the host starts to stop (<see cref="StreamDrainInterceptor"/>).
    /// </summary>
    public static CancellationToken StreamCancellationToken(this ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(Key, out var token) ? (CancellationToken)token : context.CancellationToken;
    }

    internal static void Set(ServerCallContext context, CancellationToken token) => context.UserState[Key] = token;
}
