using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// Answers calls the policies refuse as gRPC does: no valid token → UNAUTHENTICATED, a token without the right →
/// PERMISSION_DENIED, instead of bare HTTP 401/403; and audits refused supervisor and administrator calls.
/// </summary>
public sealed class GrpcAuthorizationResultHandler(RoutingAudit audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Succeeded)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var (code, message) = authorizeResult.Forbidden
            ? (StatusCode.PermissionDenied, "the token's roles do not allow this call")
            : (StatusCode.Unauthenticated, "a valid bearer token is required (missing, expired, or not signed by a trusted key for this issuer and audience)");
        // An HTTP/JSON call's path is its transcoded route; the audit names the gRPC method either way.
        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName ?? context.Request.Path.Value;
        if (RoutingAudit.Covers(method))
        {
            audit.Record(CallerIdentity.NameOf(context.User), method!, "(not read)", code.ToString());
        }

        return GrpcRefusal.WriteAsync(context, code, message);
    }
}
