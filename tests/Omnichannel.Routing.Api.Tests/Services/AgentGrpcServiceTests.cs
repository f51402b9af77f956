using Grpc.Core;
using Omnichannel.Routing.Api.Tests.Support;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests.Services;

[Collection(SharedApiHost.Name)]
public sealed class AgentGrpcServiceTests(ApiHost host)
{
    private readonly ApiScenario _s = new(host);

    [Fact]
    public async Task Signing_in_and_changing_presence_answer_the_agent_status()
    {
        var queueId = await _s.QueueAsync("presence");
        var agentId = await _s.AgentAsync("presence-agent", queueId);

        var signedIn = await host.CallAsync(_s.Agents.SignIn, new SignInRequest { AgentId = agentId });
        var away = await host.CallAsync(_s.Agents.SetPresence, new SetPresenceRequest { AgentId = agentId, Presence = Presence.Away });
        var signedOut = await host.CallAsync(_s.Agents.SignOut, new SignOutRequest { AgentId = agentId, Reason = "end of shift" });

        Assert.True(signedIn.SignedIn);
        Assert.Equal(Presence.Available, signedIn.Presence);
        Assert.Equal(Presence.Away, away.Presence);
        Assert.False(signedOut.SignedIn);
    }

    [Fact]
    public async Task Signing_in_as_offline_is_invalid_and_leaves_the_agent_signed_out()
    {
        var agentId = await _s.AgentAsync("offline", await _s.QueueAsync("offline"));

        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "presence", () => host.CallAsync(_s.Agents.SignIn, new SignInRequest { AgentId = agentId, Presence = Presence.Offline }));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "presence", () => host.CallAsync(_s.Agents.SetPresence, new SetPresenceRequest { AgentId = agentId }));

        Assert.False((await host.CallAsync(_s.Admin.GetAgent, new GetAgentRequest { AgentId = agentId })).Status.SignedIn);
    }

    [Fact]
    public async Task An_agent_never_defined_is_not_found()
    {
        await ApiHost.RefusedAsync(StatusCode.NotFound, "agent_id", () => host.CallAsync(_s.Agents.SignIn, new SignInRequest { AgentId = _s.Id("nobody") }));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "agent_id", () => host.CallAsync(_s.Agents.SignIn, new SignInRequest { AgentId = "agents/1" }));
    }

    [Fact]
    public async Task An_offer_stream_sends_the_status_first_then_the_offer_and_the_agent_handles_it()
    {
        var queueId = await _s.QueueAsync("desk");
        var agentId = await _s.AgentAsync("desk-agent", queueId);
        await using var desk = await AgentDesk.OpenAsync(_s, agentId);

        var routed = await _s.RouteAsync(queueId);
        var offered = await desk.NextOfferAsync(routed.InteractionId);
        var accepted = await host.CallAsync(_s.Agents.AcceptOffer, new AcceptOfferRequest { AgentId = agentId, InteractionId = routed.InteractionId });
        var completed = await host.CallAsync(_s.Agents.CompleteInteraction, new CompleteInteractionRequest { AgentId = agentId, InteractionId = routed.InteractionId, Disposition = "resolved" });

        Assert.Equal(OfferEvent.EventOneofCase.Status, desk.First.EventCase);
        Assert.Equal(agentId, desk.First.Status.AgentId);
        Assert.Equal(queueId, offered.Interaction.QueueId);
        Assert.Equal(InteractionState.Connected, accepted.State);
        Assert.Equal(agentId, accepted.AgentId);
        Assert.Equal(InteractionState.Completed, completed.State);
        Assert.Equal("resolved", completed.Disposition);
    }

    [Fact]
    public async Task Completing_an_offer_not_yet_accepted_is_a_failed_precondition_and_changes_nothing()
    {
        var queueId = await _s.QueueAsync("early");
        await using var desk = await AgentDesk.OpenAsync(_s, await _s.AgentAsync("early-agent", queueId));
        var routed = await _s.RouteAsync(queueId);
        await desk.NextOfferAsync(routed.InteractionId);

        await ApiHost.RefusedAsync(StatusCode.FailedPrecondition, "interaction_id", () => host.CallAsync(_s.Agents.CompleteInteraction, new CompleteInteractionRequest { AgentId = desk.AgentId, InteractionId = routed.InteractionId }));
        await Assert.ThrowsAsync<RpcException>(() => host.CallAsync(_s.Agents.EndWrapUp, new EndWrapUpRequest { AgentId = desk.AgentId, InteractionId = routed.InteractionId }));

        Assert.Equal(InteractionState.Offered, (await _s.GetAsync(routed.InteractionId)).State);
    }

    [Fact]
    public async Task An_over_long_reject_reason_names_the_field_and_the_offer_stays()
    {
        var queueId = await _s.QueueAsync("reject");
        await using var desk = await AgentDesk.OpenAsync(_s, await _s.AgentAsync("reject-agent", queueId));
        var routed = await _s.RouteAsync(queueId);
        await desk.NextOfferAsync(routed.InteractionId);

        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "reason", () => host.CallAsync(_s.Agents.RejectOffer, new RejectOfferRequest
        {
            AgentId = desk.AgentId,
            InteractionId = routed.InteractionId,
            Reason = new string('r', FieldRules.MaxReasonLength + 1),
        }));

        Assert.Equal(InteractionState.Offered, (await _s.GetAsync(routed.InteractionId)).State);
    }

    [Fact]
    public async Task A_rejected_offer_returns_the_interaction_to_its_queue_excluding_that_agent()
    {
        var queueId = await _s.QueueAsync("rejected");
        await using var desk = await AgentDesk.OpenAsync(_s, await _s.AgentAsync("rejecting-agent", queueId));
        var routed = await _s.RouteAsync(queueId);
        await desk.NextOfferAsync(routed.InteractionId);

        var rejected = await host.CallAsync(_s.Agents.RejectOffer, new RejectOfferRequest { AgentId = desk.AgentId, InteractionId = routed.InteractionId, Reason = "not now" });

        Assert.Equal(InteractionState.Queued, rejected.State);
        Assert.Contains(desk.AgentId, rejected.ExcludedAgentIds);
    }
}
