using Omnichannel.Routing.Api.Security;
using Omnichannel.Routing.Api.Services;

namespace Omnichannel.Routing.Api.Tests.Security;

public sealed class RoutingPoliciesTests
{
    [Fact]
    public void Every_policy_admits_administrators()
    {
        Assert.All(RoutingPolicies.Roles.Values, roles => Assert.Contains(RoutingRoles.Admin, roles));
    }

    [Theory]
    [InlineData(typeof(RoutingGrpcService))]
    [InlineData(typeof(AgentGrpcService))]
    [InlineData(typeof(WorkforceGrpcService))]
    [InlineData(typeof(SupervisorGrpcService))]
    [InlineData(typeof(AdminGrpcService))]
    [InlineData(typeof(CustomerGrpcService))]
    public void Every_rpc_of_every_service_names_a_known_policy(Type service)
    {
        var overridden = service.GetMethods().Where(m => m.DeclaringType == service && m.GetBaseDefinition().DeclaringType != service).ToList();

        Assert.NotEmpty(overridden);
        Assert.All(overridden, method =>
        {
            var policy = method.GetCustomAttributes(typeof(Microsoft.AspNetCore.Authorization.AuthorizeAttribute), false)
                .Concat(service.GetCustomAttributes(typeof(Microsoft.AspNetCore.Authorization.AuthorizeAttribute), false))
                .Cast<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>()
                .Select(a => a.Policy)
                .FirstOrDefault();
            Assert.True(policy is not null && RoutingPolicies.Roles.ContainsKey(policy), $"{service.Name}.{method.Name} has no known policy");
        });
    }

    [Theory]
    [InlineData("/omnichannel.routing.v1.SupervisorService/SetQueueOpen", true)]
    [InlineData("/omnichannel.routing.v1.AdminService/UpsertQueue", true)]
    [InlineData("/omnichannel.routing.v1.RoutingService/RouteInteraction", false)]
    [InlineData("/grpc.health.v1.Health/Check", false)]
    [InlineData("/", false)]
    [InlineData(null, false)]
    public void Supervisor_and_admin_calls_are_the_audited_ones(string? method, bool audited) =>
        Assert.Equal(audited, RoutingAudit.Covers(method));
}
