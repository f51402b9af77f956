using System.Security.Claims;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// Who is calling, as the services need it: the actor recorded for a change and the agent-identity check. With
/// authentication on, both come from the validated token (its <c>sub</c> and <c>role</c> claims), never from a name in
/// the request body; with it off (the open local default), the actor is the kind of call, as it always was.
/// </summary>
public sealed class CallerIdentity(IOptions<AuthOptions> options)
{
    /// <summary>The claim that names the principal.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>The claim (one or several) that carries its roles.</summary>
    public const string RoleClaim = "role";

    /// <summary>Authentication off: the open local default.</summary>
    public static CallerIdentity Open { get; } = new(Options.Create(new AuthOptions()));

    public bool Enabled { get; } = options.Value.IsEnabled;

    /// <summary>
    /// The actor for a change made through a service for callers of <paramref name="kind"/>: the token's subject,
    /// recorded as that kind when the token holds the service's role and as Admin when it is an administrator acting
    /// there; the kind's fixed name when authentication is off.
    /// </summary>
    public Actor ActorFor(ServerCallContext context, ActorKind kind)
    {
        if (!Enabled)
        {
            return new Actor(kind, kind.ToString().ToLowerInvariant());
        }

        var user = UserOf(context);
        var recordedKind = !user.IsInRole(RoleOf(kind)) && user.IsInRole(RoutingRoles.Admin) ? ActorKind.Admin : kind;
        return new Actor(recordedKind, SubjectOf(user));
    }

    /// <summary>
    /// Refuses with PERMISSION_DENIED unless the caller may act as <paramref name="agentId"/>: an agent token whose
    /// subject is that agent, or an administrator. Always passes with authentication off.
    /// </summary>
    public void RequireAgent(ServerCallContext context, string agentId)
    {
        if (!Enabled)
        {
            return;
        }

        var user = UserOf(context);
        if (user.IsInRole(RoutingRoles.Admin) || (user.IsInRole(RoutingRoles.Agent) && string.Equals(SubjectOf(user), agentId, StringComparison.Ordinal)))
        {
            return;
        }

        throw new RpcException(new Status(StatusCode.PermissionDenied, "agent_id: an agent token may act only for the agent it names"));
    }

    /// <summary>The principal's name for logs and audit: its subject, or "anonymous".</summary>
    public static string NameOf(ClaimsPrincipal? user) => user?.FindFirst(SubjectClaim)?.Value ?? "anonymous";

    private static ClaimsPrincipal UserOf(ServerCallContext context) => context.GetHttpContext().User;

    private static string SubjectOf(ClaimsPrincipal user) =>
        user.FindFirst(SubjectClaim)?.Value ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the token names no subject (sub)"));

    private static string RoleOf(ActorKind kind) => kind switch
    {
        ActorKind.Frontend => RoutingRoles.Frontend,
        ActorKind.Agent => RoutingRoles.Agent,
        ActorKind.Supervisor => RoutingRoles.Supervisor,
        ActorKind.Admin => RoutingRoles.Admin,
        _ => string.Empty,
    };
}
