using System.Security.Authentication;
using Grpc.Core;
using Grpc.Net.Client;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Security;

/// <summary>A host with authentication and TLS on: who may act as whom, who is recorded, and what the wire needs.</summary>
public sealed class SecureHostTests(SecureHostFixture fixture) : IClassFixture<SecureHostFixture>
{
    private readonly EngineClient _admin = new(fixture.ChannelAs("admin-1", "admin"));

    [Fact]
    public async Task An_agent_token_cannot_accept_another_agents_offer_and_nothing_changes()
    {
        var queue = await _admin.QueueAsync("identity");
        var owner = await _admin.AgentAsync("owner", [queue]);
        var intruder = await _admin.AgentAsync("intruder", [queue]);
        var asOwner = new EngineClient(fixture.ChannelAs(owner, "agent"));
        var asIntruder = new EngineClient(fixture.ChannelAs(intruder, "agent"));
        await using var desk = await asOwner.SignInAsync(owner);
        var routed = await new EngineClient(fixture.ChannelAs("ivr-1", "frontend")).RouteAsync(queue);
        await desk.NextOfferAsync(routed.InteractionId);

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await asIntruder.Agents.AcceptOfferAsync(new AcceptOfferRequest { AgentId = owner, InteractionId = routed.InteractionId }));
        using var watch = asIntruder.Agents.WatchOffers(new WatchOffersRequest { AgentId = owner });
        var refusedWatch = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, refusedWatch.StatusCode);
        var after = await _admin.GetAsync(routed.InteractionId);
        Assert.Equal(InteractionState.Offered, after.State);
        Assert.Equal(owner, after.AgentId);
        var accepted = await desk.AcceptAsync(routed.InteractionId);
        Assert.Equal(InteractionState.Connected, accepted.State);
    }

    [Fact]
    public async Task The_event_log_records_the_tokens_principal_not_a_name_from_the_request()
    {
        var queue = await _admin.QueueAsync("actors");
        var other = await _admin.QueueAsync("actors-other");
        var agent = await _admin.AgentAsync("actor-agent", [queue]);
        var frontend = new EngineClient(fixture.ChannelAs("ivr-7", "frontend"));
        var supervisor = new EngineClient(fixture.ChannelAs("sup-3", "supervisor"));
        var asAgent = new EngineClient(fixture.ChannelAs(agent, "agent"));

        var routed = await frontend.RouteAsync(queue);
        await supervisor.Supervisor.SetInteractionPriorityAsync(new SetInteractionPriorityRequest { InteractionId = routed.InteractionId, Priority = 7 });
        // The body claims an agent asked for the transfer; the token says a front-end did.
        await frontend.Routing.TransferInteractionAsync(new TransferInteractionRequest { InteractionId = routed.InteractionId, QueueId = other, RequestedByAgentId = "someone-else" });
        await using var desk = await asAgent.SignInAsync(agent);
        var second = await frontend.RouteAsync(queue);
        await desk.NextOfferAsync(second.InteractionId);
        await desk.AcceptAsync(second.InteractionId);

        var first = await _admin.GetAsync(routed.InteractionId);
        var accepted = await _admin.GetAsync(second.InteractionId);
        var actors = first.History.Select(e => (e.Actor.Kind, e.Actor.Id)).ToList();
        Assert.Contains((ActorKind.Frontend, "ivr-7"), actors);
        Assert.Contains((ActorKind.Supervisor, "sup-3"), actors);
        Assert.DoesNotContain(actors, a => a.Id == "someone-else" || a.Id == "frontend" || a.Id == "supervisor");
        Assert.Contains(accepted.History, e => e.Actor.Kind == ActorKind.Agent && e.Actor.Id == agent);
    }

    [Fact]
    public async Task Refused_and_allowed_supervisor_and_admin_calls_are_audited_with_the_principal()
    {
        var queue = await _admin.QueueAsync("audited");
        var frontend = new EngineClient(fixture.ChannelAs("ivr-audit", "frontend"));

        await Assert.ThrowsAsync<RpcException>(async () => await frontend.Supervisor.SetQueueOpenAsync(new SetQueueOpenRequest { QueueId = queue, Open = false }));

        await fixture.Host.WaitForOutputAsync("audit: ivr-audit called /omnichannel.routing.v1.SupervisorService/SetQueueOpen", EngineClient.Wait);
        await fixture.Host.WaitForOutputAsync("audit: admin-1 called /omnichannel.routing.v1.AdminService/UpsertQueue", EngineClient.Wait);
        Assert.Contains("-> PermissionDenied", fixture.Host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_and_a_plaintext_client_both_fail()
    {
        using var untrusting = GrpcChannel.ForAddress(fixture.Host.Address);
        using var plaintext = GrpcChannel.ForAddress(fixture.Host.Address.Replace("https://", "http://", StringComparison.Ordinal));
        var token = new Metadata { { "Authorization", $"Bearer {fixture.Tokens.For("admin-2", "admin")}" } };

        var notTrusted = await Assert.ThrowsAsync<RpcException>(async () => await new AdminService.AdminServiceClient(untrusting).ListQueuesAsync(new ListQueuesRequest(), token));
        var notEncrypted = await Assert.ThrowsAsync<RpcException>(async () => await new AdminService.AdminServiceClient(plaintext).ListQueuesAsync(new ListQueuesRequest(), token));
        var trusted = await _admin.Admin.ListQueuesAsync(new ListQueuesRequest());

        Assert.StartsWith("https://", fixture.Host.Address, StringComparison.Ordinal);
        // Both fail while the call starts (the client says UNAVAILABLE or INTERNAL, by how the connection breaks); the
        // untrusting one because the certificate was refused.
        Assert.Contains(notTrusted.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Contains(notEncrypted.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.True(CausedBy<AuthenticationException>(notTrusted.Status.DebugException), notTrusted.ToString());
        Assert.NotNull(trusted);
    }

    private static bool CausedBy<T>(Exception? e)
        where T : Exception =>
        e is not null && (e is T || CausedBy<T>(e.InnerException));

}
