using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests;

public sealed class LifecycleTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly EngineClient _c = new(fixture.Host.Channel);

    [Fact]
    public async Task A_full_lifecycle_hands_capacity_back_after_wrap_up_and_the_next_offer_follows()
    {
        var queue = await _c.QueueAsync("lifecycle", q => q.WrapUp = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)));
        var agent = await _c.AgentAsync("lifecycle-agent", [queue], new CapacityProfile
        {
            TotalUnits = 1,
            Channels = { new ChannelCapacity { Channel = "chat", MaxConcurrent = 1, UnitCost = 1 } },
        });
        await using var desk = await _c.SignInAsync(agent);

        var first = await _c.RouteAsync(queue, configure: r => r.Context.Add("order", "A-1001"));
        var offer = await desk.NextOfferAsync(first.InteractionId);
        Assert.Equal("A-1001", offer.Interaction.Context["order"]);
        Assert.Equal(InteractionState.Offered, offer.Interaction.State);

        var second = await _c.RouteAsync(queue);
        Assert.Equal(InteractionState.Queued, second.State);
        Assert.Equal(1, second.QueuePosition);

        Assert.Equal(InteractionState.Connected, (await desk.AcceptAsync(first.InteractionId)).State);
        var wrapping = await desk.CompleteAsync(first.InteractionId, "resolved");
        Assert.Equal(InteractionState.WrapUp, wrapping.State);
        Assert.Equal(InteractionState.Queued, (await _c.GetAsync(second.InteractionId)).State);

        // Wrap-up ends by its timer, the capacity comes back, and the waiting chat is offered.
        var next = await desk.NextOfferAsync(second.InteractionId);
        var done = await _c.GetAsync(first.InteractionId);
        Assert.Equal(InteractionState.Completed, done.State);
        Assert.Equal(["routed", "offered", "accepted", "completed", "wrap_up_ended"], done.History.Select(e => e.Type));
        Assert.True(next.OfferTime.ToDateTimeOffset() >= done.EndTime.ToDateTimeOffset());

        await desk.AcceptAsync(second.InteractionId);
        await desk.CompleteAsync(second.InteractionId);
        var ended = await desk.EndWrapUpAsync(second.InteractionId);
        Assert.Equal(InteractionState.Completed, ended.State);
        var status = await _c.Admin.GetAgentAsync(new GetAgentRequest { AgentId = agent });
        Assert.Equal(0, status.Status.UnitsUsed);
        Assert.Equal(AgentActivity.Idle, status.Status.Activity);
    }

    [Fact]
    public async Task A_voice_call_blocks_chats_until_it_ends()
    {
        var queue = await _c.QueueAsync("voice-blocks");
        var agent = await _c.AgentAsync("voice-agent", [queue]);
        await using var desk = await _c.SignInAsync(agent);
        var call = await _c.RouteAsync(queue, "voice");
        await desk.NextOfferAsync(call.InteractionId);
        await desk.AcceptAsync(call.InteractionId);

        var chat = await _c.RouteAsync(queue, "chat");
        var status = await _c.Admin.GetAgentAsync(new GetAgentRequest { AgentId = agent });
        Assert.Equal(100, status.Status.UnitsUsed);
        Assert.Equal(InteractionState.Queued, (await _c.GetAsync(chat.InteractionId)).State);

        var hungUp = await desk.CompleteAsync(call.InteractionId);
        var offer = await desk.NextOfferAsync(chat.InteractionId);
        Assert.True(offer.OfferTime.ToDateTimeOffset() >= hungUp.WrapUpTime.ToDateTimeOffset(), "the chat was offered while the call was still active");
    }

    [Fact]
    public async Task An_agent_with_chat_capacity_three_gets_exactly_three_chats_and_the_fourth_waits()
    {
        var queue = await _c.QueueAsync("three-chats");
        var agent = await _c.AgentAsync("chat-agent", [queue]);
        await using var desk = await _c.SignInAsync(agent);

        var chats = new List<Interaction>();
        for (var i = 0; i < 4; i++)
        {
            chats.Add(await _c.RouteAsync(queue, "chat"));
        }

        for (var i = 0; i < 3; i++)
        {
            await desk.NextOfferAsync(chats[i].InteractionId);
            await desk.AcceptAsync(chats[i].InteractionId);
        }

        var status = await _c.Admin.GetAgentAsync(new GetAgentRequest { AgentId = agent });
        Assert.Equal(3, status.Status.Loads.Single(l => l.Channel == "chat").Active);
        Assert.Equal(InteractionState.Queued, (await _c.GetAsync(chats[3].InteractionId)).State);

        var finished = await desk.CompleteAsync(chats[0].InteractionId);
        var fourth = await desk.NextOfferAsync(chats[3].InteractionId);
        Assert.True(fourth.OfferTime.ToDateTimeOffset() >= finished.WrapUpTime.ToDateTimeOffset(), "the fourth chat was offered before a slot freed up");
    }

    [Fact]
    public async Task WatchInteraction_streams_every_state_change_until_it_ends()
    {
        var queue = await _c.QueueAsync("watched");
        var agent = await _c.AgentAsync("watched-agent", [queue]);
        var routed = await _c.RouteAsync(queue);
        using var watch = _c.Routing.WatchInteraction(new WatchInteractionRequest { InteractionId = routed.InteractionId });
        var updates = new List<InteractionUpdate>();
        var reader = Task.Run(async () =>
        {
            while (await watch.ResponseStream.MoveNext(CancellationToken.None))
            {
                updates.Add(watch.ResponseStream.Current);
            }
        });

        await using var desk = await _c.SignInAsync(agent);
        await desk.NextOfferAsync(routed.InteractionId);
        await desk.AcceptAsync(routed.InteractionId);
        await desk.CompleteAsync(routed.InteractionId);
        await reader.WaitAsync(EngineClient.Wait);

        Assert.Equal(InteractionState.Queued, updates[0].Interaction.State);
        Assert.Null(updates[0].Event);
        Assert.Equal(["offered", "accepted", "completed", "wrap_up_ended"], updates.Skip(1).Select(u => u.Event.Type));
        Assert.Equal(InteractionState.Completed, updates[^1].Interaction.State);
    }

    [Fact]
    public async Task Retrying_a_route_with_the_same_request_id_returns_the_same_interaction()
    {
        var queue = await _c.QueueAsync("retries");
        var requestId = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _c.Routing.RouteInteractionAsync(new RouteInteractionRequest
        {
            RequestId = requestId,
            CustomerId = _c.Id("retrying-customer"),
            Channel = "chat",
            QueueId = queue,
        }).ResponseAsync));

        Assert.Single(answers.Select(a => a.Interaction.InteractionId).Distinct());
        Assert.Single(answers, a => !a.Replayed);
        var journey = await _c.Customers.GetCustomerJourneyAsync(new GetCustomerJourneyRequest { CustomerId = _c.Id("retrying-customer") });
        Assert.Single(journey.Entries);
    }

    [Fact]
    public async Task Cancelling_a_queued_interaction_abandons_it()
    {
        var queue = await _c.QueueAsync("cancels");
        var routed = await _c.RouteAsync(queue);

        var cancelled = await _c.Routing.CancelInteractionAsync(new CancelInteractionRequest { InteractionId = routed.InteractionId, Reason = "caller hung up" });

        Assert.Equal(InteractionState.Abandoned, cancelled.State);
        Assert.Equal("caller hung up", cancelled.EndReason);
        Assert.Equal("cancelled", cancelled.History[^1].Type);
    }

    [Fact]
    public async Task Transfer_to_a_queue_keeps_context_and_frees_the_first_agent()
    {
        var tier1 = await _c.QueueAsync("tier1");
        var tier2 = await _c.QueueAsync("tier2");
        var first = await _c.AgentAsync("tier1-agent", [tier1]);
        var second = await _c.AgentAsync("tier2-agent", [tier2]);
        await using var desk1 = await _c.SignInAsync(first);
        var routed = await _c.RouteAsync(tier1, configure: r => r.Context.Add("account", "42"));
        await desk1.NextOfferAsync(routed.InteractionId);
        await desk1.AcceptAsync(routed.InteractionId);

        var moved = await _c.Routing.TransferInteractionAsync(new TransferInteractionRequest
        {
            InteractionId = routed.InteractionId,
            QueueId = tier2,
            Context = { ["summary"] = "billing dispute" },
            RequestedByAgentId = first,
        });

        Assert.Equal(InteractionState.Queued, moved.State);
        await using var desk2 = await _c.SignInAsync(second);
        var offer = await desk2.NextOfferAsync(routed.InteractionId);
        Assert.Equal("42", offer.Interaction.Context["account"]);
        Assert.Equal("billing dispute", offer.Interaction.Context["summary"]);
        await desk1.NextAsync(e => e.EventCase == OfferEvent.EventOneofCase.Withdrawn && e.Withdrawn.Reason == "transferred", "the transfer withdrawal");
        var status = await _c.Admin.GetAgentAsync(new GetAgentRequest { AgentId = first });
        Assert.Equal(0, status.Status.UnitsUsed);
    }
}
