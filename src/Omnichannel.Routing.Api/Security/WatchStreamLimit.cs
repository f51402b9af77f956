using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// Bounds the streams one authenticated principal holds open (<c>Limits:MaxWatchStreams</c>); one more is refused
/// with RESOURCE_EXHAUSTED before it subscribes to anything. Anonymous callers (authentication off) are not counted.
/// </summary>
public sealed class WatchStreamLimit(IOptions<CallerLimitOptions> options) : Interceptor
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        var subject = context.GetHttpContext().User.FindFirst(CallerIdentity.SubjectClaim)?.Value;
        if (subject is null)
        {
            await continuation(request, responseStream, context);
            return;
        }

        if (!TryOpen(subject))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"this principal already holds {options.Value.MaxWatchStreams} open streams (Limits:MaxWatchStreams); close one first"));
        }

        try
        {
            await continuation(request, responseStream, context);
        }
        finally
        {
            Close(subject);
        }
    }

    /// <summary>Counts one more stream for <paramref name="subject"/>, unless it is at the limit.</summary>
    public bool TryOpen(string subject)
    {
        lock (_open)
        {
            var open = _open.GetValueOrDefault(subject);
            if (open >= options.Value.MaxWatchStreams)
            {
                return false;
            }

            _open[subject] = open + 1;
            return true;
        }
    }

    public void Close(string subject)
    {
        lock (_open)
        {
            if (_open.TryGetValue(subject, out var open))
            {
                if (open <= 1)
                {
                    _open.Remove(subject);
                }
                else
                {
                    _open[subject] = open - 1;
                }
            }
        }
    }
}
