using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests;

/// <summary>Context and the agent follow the customer across channels (issue: omnichannel journeys).</summary>
public sealed class JourneyTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly EngineClient _c = new(fixture.Host.Channel);

    [Fact]
    public async Task A_customer_who_chatted_then_calls_gets_the_same_agent_with_the_chat_context_or_falls_back_when_that_agent_is_busy()
    {
        var queue = await _c.QueueAsync("story");
        var alice = await _c.AgentAsync("alice", [queue]);
        var bob = await _c.AgentAsync("bob", [queue]);
        await using var aliceDesk = await _c.SignInAsync(alice);
        await using var bobDesk = await _c.SignInAsync(bob);
        var customer = _c.Id("maria");

        // 1. Maria chats about an order; Alice serves her.
        var chat = await _c.RouteAsync(queue, "chat", r =>
        {
            r.CustomerId = customer;
            r.PreferredAgentId = alice;
            r.Context.Add("order", "A-1001");
            r.Context.Add("topic", "late delivery");
        });
        await aliceDesk.NextOfferAsync(chat.InteractionId);
        await aliceDesk.AcceptAsync(chat.InteractionId);
        await aliceDesk.CompleteAsync(chat.InteractionId, "promised a call back");

        // 2. She calls minutes later: the call joins the chat's journey, inherits its context and goes to Alice first.
        var call = await _c.RouteAsync(queue, "voice", r =>
        {
            r.CustomerId = customer;
            r.PreferLastAgent = true;
            r.PreferredAgentWait = Duration.FromTimeSpan(TimeSpan.FromSeconds(30));
            r.Context.Add("topic", "delivery call");
        });
        var offer = await aliceDesk.NextOfferAsync(call.InteractionId);
        Assert.Equal(alice, offer.Interaction.PreferredAgentId);
        Assert.Equal("A-1001", offer.Interaction.Context["order"]);
        Assert.Equal("delivery call", offer.Interaction.Context["topic"]);
        Assert.Equal(chat.JourneyId, offer.Interaction.JourneyId);
        var previous = Assert.Single(offer.RecentJourney, e => e.InteractionId == chat.InteractionId);
        Assert.Equal(("chat", alice, InteractionState.Completed, "promised a call back"), (previous.Channel, previous.AgentId, previous.State, previous.Disposition));
        await aliceDesk.AcceptAsync(call.InteractionId);

        // 3. While Alice is on that call, Maria writes again: it waits for Alice up to two seconds, then Bob takes it.
        var waitedFor = DateTimeOffset.UtcNow;
        var followUp = await _c.RouteAsync(queue, "chat", r =>
        {
            r.CustomerId = customer;
            r.PreferLastAgent = true;
            r.PreferredAgentWait = Duration.FromTimeSpan(TimeSpan.FromSeconds(2));
        });
        Assert.Equal(InteractionState.Queued, followUp.State);
        var bobsOffer = await bobDesk.NextOfferAsync(followUp.InteractionId);
        Assert.True(bobsOffer.OfferTime.ToDateTimeOffset() >= waitedFor.AddSeconds(1.5), "the follow-up did not wait for the preferred agent");
        Assert.Equal("A-1001", bobsOffer.Interaction.Context["order"]);
        await bobDesk.AcceptAsync(followUp.InteractionId);

        var fallback = await _c.GetAsync(followUp.InteractionId);
        Assert.Contains(fallback.History, e => e.Type == "preferred_agent_fallback");

        // The journey shows all three, newest first, with their agents.
        var journey = await _c.Customers.GetCustomerJourneyAsync(new GetCustomerJourneyRequest { CustomerId = customer });
        Assert.Equal([followUp.InteractionId, call.InteractionId, chat.InteractionId], journey.Entries.Select(e => e.InteractionId));
        Assert.Equal([bob, alice, alice], journey.Entries.Select(e => e.AgentId));
        Assert.Equal(["chat", "voice", "chat"], journey.Entries.Select(e => e.Channel));
        Assert.All(journey.Entries, e => Assert.Equal(chat.JourneyId, e.JourneyId));
        Assert.Equal(bob, journey.Customer.LastAgentId);
        Assert.Equal(2, journey.Customer.ActiveInteractionIds.Count);
    }

    [Fact]
    public async Task A_warm_transfer_over_grpc_holds_both_capacities_until_the_second_agent_accepts()
    {
        var queue = await _c.QueueAsync("warm");
        var first = await _c.AgentAsync("first", [queue]);
        var second = await _c.AgentAsync("second", []);
        await using var firstDesk = await _c.SignInAsync(first);
        await using var secondDesk = await _c.SignInAsync(second);
        var routed = await _c.RouteAsync(queue, "chat", r => r.Context.Add("account", "42"));
        await firstDesk.NextOfferAsync(routed.InteractionId);
        await firstDesk.AcceptAsync(routed.InteractionId);

        var consulting = await _c.Routing.TransferInteractionAsync(new TransferInteractionRequest
        {
            InteractionId = routed.InteractionId,
            AgentId = second,
            Warm = true,
            RequestedByAgentId = first,
            Context = { ["note"] = "customer wants a refund" },
        });

        Assert.Equal(InteractionState.Offered, consulting.State);
        var offer = await secondDesk.NextOfferAsync(routed.InteractionId);
        Assert.Equal("42", offer.Interaction.Context["account"]);
        Assert.Equal("customer wants a refund", offer.Interaction.Context["note"]);
        Assert.Equal(30, await UnitsAsync(first));
        Assert.Equal(30, await UnitsAsync(second));
        var during = await _c.GetAsync(routed.InteractionId);
        Assert.Equal((InteractionState.Connected, first, second), (during.State, during.AgentId, during.ConsultAgentId));

        await secondDesk.AcceptAsync(routed.InteractionId);

        await firstDesk.NextAsync(e => e.EventCase == OfferEvent.EventOneofCase.Withdrawn && e.Withdrawn.Reason == "transferred", "the first agent's release");
        Assert.Equal(0, await UnitsAsync(first));
        Assert.Equal(30, await UnitsAsync(second));
        var after = await _c.GetAsync(routed.InteractionId);
        Assert.Equal((InteractionState.Connected, second), (after.State, after.AgentId));
    }

    [Fact]
    public async Task A_blind_transfer_to_an_agent_keeps_the_context_and_frees_the_first()
    {
        var queue = await _c.QueueAsync("blind");
        var first = await _c.AgentAsync("first", [queue]);
        var second = await _c.AgentAsync("second", []);
        await using var firstDesk = await _c.SignInAsync(first);
        await using var secondDesk = await _c.SignInAsync(second);
        var routed = await _c.RouteAsync(queue, "chat", r => r.Context.Add("account", "7"));
        await firstDesk.NextOfferAsync(routed.InteractionId);
        await firstDesk.AcceptAsync(routed.InteractionId);

        await _c.Routing.TransferInteractionAsync(new TransferInteractionRequest { InteractionId = routed.InteractionId, AgentId = second, RequestedByAgentId = first });

        var offer = await secondDesk.NextOfferAsync(routed.InteractionId);
        Assert.Equal("7", offer.Interaction.Context["account"]);
        await firstDesk.NextAsync(e => e.EventCase == OfferEvent.EventOneofCase.Withdrawn && e.Withdrawn.Reason == "transferred", "the first agent's release");
        Assert.Equal(0, await UnitsAsync(first));
        Assert.Contains((await _c.GetAsync(routed.InteractionId)).History, e => e.Type == "transferred" && e.AgentId == second);
    }

    private async Task<int> UnitsAsync(string agentId) =>
        (await _c.Admin.GetAgentAsync(new GetAgentRequest { AgentId = agentId })).Status.UnitsUsed;
}
