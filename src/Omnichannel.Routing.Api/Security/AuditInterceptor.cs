using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// Records every unary supervisor and administrator call that reached its service, with the status it ended in (the
/// error interceptor runs inside this one, so refusals are already status codes). Calls refused before the service
/// (no token, no role) are recorded by <see cref="GrpcAuthorizationResultHandler"/>.
/// </summary>
public sealed class AuditInterceptor(RoutingAudit audit) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        if (!RoutingAudit.Covers(context.Method))
        {
            return await continuation(request, context);
        }

        var principal = CallerIdentity.NameOf(context.GetHttpContext().User);
        try
        {
            var response = await continuation(request, context);
            audit.Record(principal, context.Method, Shown(request, response), nameof(StatusCode.OK));
            return response;
        }
        catch (RpcException e)
        {
            // An invalid request may hold exactly what must not be logged (a card number in a display name).
            var shown = e.StatusCode == StatusCode.InvalidArgument ? "(invalid; not logged)" : Shown(request, response: null);
            audit.Record(principal, context.Method, shown, e.StatusCode.ToString());
            throw;
        }
    }

    // An erasure is audited by the pseudonymous id it left: the log must not name the customer it forgot.
    private static string Shown(object? request, object? response) => request switch
    {
        V1.EraseCustomerRequest => response is V1.EraseCustomerResponse erased ? $"{{ erased as {erased.PseudonymousId} }}" : "(a customer id; not logged)",
        _ => request?.ToString() ?? string.Empty,
    };
}
