using Microsoft.AspNetCore.Authorization;

namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// Who may call what: one named policy per kind of caller, each listing the roles it admits (admin is in every one).
/// The services carry the policy names as <c>[Authorize]</c> attributes; this table is the README's, contract §7.
/// </summary>
public static class RoutingPolicies
{
    public const string Routing = "routing";
    public const string Agents = "agents";
    public const string Workforce = "workforce";
    public const string Supervision = "supervision";
    public const string Administration = "administration";
    public const string CustomerProfiles = "customer-profiles";
    public const string CustomerJourneys = "customer-journeys";
    public const string Reporting = "reporting";

    /// <summary>Each policy and the roles it admits.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Roles { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [Routing] = [RoutingRoles.Frontend, RoutingRoles.Admin],
        // An agent passes only as itself: AgentGrpcService checks the token's subject against agent_id.
        [Agents] = [RoutingRoles.Agent, RoutingRoles.Admin],
        [Workforce] = [RoutingRoles.Workforce, RoutingRoles.Admin],
        [Supervision] = [RoutingRoles.Supervisor, RoutingRoles.Admin],
        [Administration] = [RoutingRoles.Admin],
        [CustomerProfiles] = [RoutingRoles.Frontend, RoutingRoles.Admin],
        [CustomerJourneys] = [RoutingRoles.Frontend, RoutingRoles.Supervisor, RoutingRoles.Admin],
        // Interval reports and a day's arrivals: what supervisors and workforce planners read; never per customer.
        [Reporting] = [RoutingRoles.Workforce, RoutingRoles.Supervisor, RoutingRoles.Admin],
    };

    /// <summary>
    /// Adds the policies: with authentication on, a valid bearer token holding one of the roles; off (the open local
    /// default), every caller passes.
    /// </summary>
    public static void Configure(AuthorizationOptions authorization, bool authenticationEnabled)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        foreach (var (policy, roles) in Roles)
        {
            authorization.AddPolicy(policy, builder =>
            {
                if (authenticationEnabled)
                {
                    // No scheme named: the bearer scheme is the default, so the authentication middleware has already
                    // set the caller; naming it made every call authenticate again and merge a second principal.
                    builder.RequireAuthenticatedUser().RequireRole(roles);
                }
                else
                {
                    builder.RequireAssertion(_ => true);
                }
            });
        }
    }
}
