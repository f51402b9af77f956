using Grpc.Core;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Api.Security;
using Omnichannel.Routing.Api.Tests.Support;

namespace Omnichannel.Routing.Api.Tests.Security;

public sealed class CallerIdentityTests
{
    private static readonly CallerIdentity Open = new(Options.Create(new AuthOptions()));

    private static readonly CallerIdentity Tokens = new(Options.Create(new AuthOptions { Issuer = "i", Audience = "a", SigningKey = new string('k', 32) }));

    [Fact]
    public void With_authentication_off_the_actor_is_the_kind_of_call_as_before()
    {
        Assert.False(Open.Enabled);
        Assert.Equal(new Actor(ActorKind.Supervisor, "supervisor"), Open.ActorFor(TestServerCallContext.Create(), ActorKind.Supervisor));
        Assert.Equal(new Actor(ActorKind.Frontend, "frontend"), Open.ActorFor(TestServerCallContext.Create(), ActorKind.Frontend));
    }

    [Fact]
    public void With_authentication_on_the_actor_is_the_tokens_subject()
    {
        Assert.True(Tokens.Enabled);
        Assert.Equal(new Actor(ActorKind.Frontend, "ivr-1"), Tokens.ActorFor(TestServerCallContext.As("ivr-1", RoutingRoles.Frontend), ActorKind.Frontend));
        Assert.Equal(new Actor(ActorKind.Supervisor, "sup-1"), Tokens.ActorFor(TestServerCallContext.As("sup-1", RoutingRoles.Supervisor), ActorKind.Supervisor));
    }

    [Fact]
    public void An_administrator_acting_through_another_service_is_recorded_as_admin()
    {
        Assert.Equal(new Actor(ActorKind.Admin, "root"), Tokens.ActorFor(TestServerCallContext.As("root", RoutingRoles.Admin), ActorKind.Frontend));
    }

    [Fact]
    public void An_agent_token_may_act_only_for_the_agent_it_names()
    {
        Tokens.RequireAgent(TestServerCallContext.As("agent-7", RoutingRoles.Agent), "agent-7");

        var refused = Assert.Throws<RpcException>(() => Tokens.RequireAgent(TestServerCallContext.As("agent-7", RoutingRoles.Agent), "agent-8"));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.StartsWith("agent_id:", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_agent_role_cannot_act_as_an_agent_even_with_the_same_name_but_an_administrator_can()
    {
        Assert.Throws<RpcException>(() => Tokens.RequireAgent(TestServerCallContext.As("agent-7", RoutingRoles.Frontend), "agent-7"));
        Tokens.RequireAgent(TestServerCallContext.As("root", RoutingRoles.Admin), "agent-7");
    }

    [Fact]
    public void With_authentication_off_any_caller_may_act_for_any_agent()
    {
        Open.RequireAgent(TestServerCallContext.Create(), "agent-1");
    }

    [Fact]
    public void Authentication_is_on_only_with_an_issuer_an_audience_and_a_key()
    {
        Assert.False(new AuthOptions { Issuer = "i", Audience = "a" }.IsEnabled);
        Assert.False(new AuthOptions { Issuer = "i", SigningKey = new string('k', 32) }.IsEnabled);
        Assert.True(new AuthOptions { Issuer = "i", Audience = "a", JwksFile = "keys.json" }.IsEnabled);
        Assert.True(new AuthOptions { Issuer = "i", Audience = "a", PublicKeyFile = "key.pem" }.IsEnabled);
    }
}
