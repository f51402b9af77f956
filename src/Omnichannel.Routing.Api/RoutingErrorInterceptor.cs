using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Api;

/// <summary>
/// Turns the engine's refusals into the status codes of the contract (§5), and anything unexpected into INTERNAL without
/// leaking internals (the detail goes to the log).
/// </summary>
public sealed partial class RoutingErrorInterceptor(ILogger<RoutingErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context.Method);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException && !(e is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            throw Translate(e, context.Method);
        }
    }

    private RpcException Translate(Exception e, string method)
    {
        switch (e)
        {
            case RoutingException r:
                return new RpcException(new Status(ToStatusCode(r.Code), r.Message));
            case TimeoutException:
                LogUnavailable(method, e);
                return new RpcException(new Status(StatusCode.Unavailable, "the engine did not answer in time; retry with the same request_id"));
            case OrleansException or SiloUnavailableException or System.Data.Common.DbException:
                LogUnavailable(method, e);
                return new RpcException(new Status(StatusCode.Unavailable, "the engine is unavailable; retry with the same request_id"));
            default:
                LogFailure(method, e);
                return new RpcException(new Status(StatusCode.Internal, "internal error"));
        }
    }

    public static StatusCode ToStatusCode(RoutingErrorCode code) => code switch
    {
        RoutingErrorCode.InvalidArgument => StatusCode.InvalidArgument,
        RoutingErrorCode.NotFound => StatusCode.NotFound,
        RoutingErrorCode.FailedPrecondition => StatusCode.FailedPrecondition,
        RoutingErrorCode.AlreadyExists => StatusCode.AlreadyExists,
        RoutingErrorCode.ResourceExhausted => StatusCode.ResourceExhausted,
        RoutingErrorCode.PermissionDenied => StatusCode.PermissionDenied,
        RoutingErrorCode.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} could not reach the engine")]
    private partial void LogUnavailable(string method, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed")]
    private partial void LogFailure(string method, Exception exception);
}
