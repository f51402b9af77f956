namespace Omnichannel.Routing.Api.Security;

/// <summary>The roles a token may carry (its <c>role</c> claim, one or several), contract §7.</summary>
public static class RoutingRoles
{
    /// <summary>Front-ends: RoutingService, and customers' profiles and journeys.</summary>
    public const string Frontend = "frontend";

    /// <summary>Agent desktops: AgentService, and only as the agent the token names (its subject).</summary>
    public const string Agent = "agent";

    /// <summary>Workforce tools: WorkforceService, read only.</summary>
    public const string Workforce = "workforce";

    /// <summary>Supervisors: SupervisorService and customers' journeys.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Administrators: everything.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Frontend, Agent, Workforce, Supervisor, Admin];
}
