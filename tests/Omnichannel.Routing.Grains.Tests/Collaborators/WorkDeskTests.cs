using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class WorkDeskTests
{
    private static readonly TimeSpan OfferTimeout = TimeSpan.FromSeconds(20);

    private readonly FakeTimeProvider _clock = new(T0);
    private readonly AgentRecord _record = SignedInAvailable("sales");
    private readonly Dictionary<string, IInteractionGrain> _interactions = new(StringComparer.Ordinal);
    private readonly IQueueGrain _sales = Substitute.For<IQueueGrain>();
    private readonly IQueueGrain _service = Substitute.For<IQueueGrain>();
    private readonly IOfferObserver _desktop = Substitute.For<IOfferObserver>();
    private readonly List<string> _steps = [];
    private readonly List<RoutingEventType> _eventsInWrite = [];
    private readonly WorkDesk _desk;
    private bool _failWrites;

    public WorkDeskTests()
    {
        var streams = new OfferStreamTracker(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));
        streams.Renew(_desktop, T0);
        WorkDesk? desk = null;
        var recorder = new AgentRecorder(
            "a1",
            () => _record,
            () => desk!.Workload,
            () =>
            {
                _steps.Add("store");
                _eventsInWrite.AddRange(_record.UnloggedEvents.Select(e => e.Type));
                return _failWrites ? throw new RoutingException(RoutingErrorCode.Unavailable, null, "storage is down") : Task.CompletedTask;
            },
            new EventOutbox(Substitute.For<IRoutingEventLog>(), () => _record.UnloggedEvents, NullLogger.Instance, "Agent a1"),
            _clock,
            () => { });
        desk = new WorkDesk("a1", () => _record, recorder, streams, new QueueMembership("a1", Queue), Interaction, Queue, _clock, () => _steps.Add("arm"), NullLogger.Instance);
        desk.Restore(Config().Capacity.ToProfile(), []);
        _desk = desk;
    }

    private IQueueGrain Queue(string queueId) => queueId == "service" ? _service : _sales;

    private IInteractionGrain Interaction(string interactionId)
    {
        if (!_interactions.TryGetValue(interactionId, out var interaction))
        {
            interaction = Substitute.For<IInteractionGrain>();
            var snapshot = AgentTestData.Interaction(interactionId, InteractionState.Offered, "a1");
            interaction.MarkOffered("a1", Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<bool>(), Arg.Any<Actor>())
                .Returns(_ => { _steps.Add("offered"); return new OfferGrant(snapshot, []); });
            interaction.MarkConnected("a1").Returns(_ => { _steps.Add("connected"); return snapshot with { State = InteractionState.Connected }; });
            interaction.MarkWrapUp("a1", Arg.Any<string?>()).Returns(_ => { _steps.Add("wrap-up"); return snapshot with { State = InteractionState.WrapUp }; });
            interaction.MarkCompleted("a1", Arg.Any<Actor>()).Returns(_ => { _steps.Add("completed"); return snapshot with { State = InteractionState.Completed }; });
            interaction.MarkReturned("a1", Arg.Any<ReturnReason>(), Arg.Any<string?>()).Returns(_ => { _steps.Add("returned"); return snapshot with { State = InteractionState.Queued }; });
            _interactions[interactionId] = interaction;
        }

        return interaction;
    }

    private void InteractionShows(string interactionId, InteractionState state, string agentId) =>
        Interaction(interactionId).GetSnapshot().Returns(AgentTestData.Interaction(interactionId, state, agentId));

    private static QueueEntry Entry(string interactionId, string channel = "chat") =>
        new(interactionId, "c1", channel, 5, T0, [], [], [], null, TimeSpan.Zero, true, []);

    private static ClaimResult Claim(string interactionId, string channel = "chat", bool autoAccept = false, TimeSpan wrapUp = default) =>
        new(true, Entry(interactionId, channel), OfferTimeout, autoAccept, wrapUp, null);

    private async Task OfferedAsync(string interactionId, TimeSpan wrapUp = default)
    {
        await _desk.TakeOfferAsync("sales", Claim(interactionId, wrapUp: wrapUp), Actor.Engine);
        _steps.Clear();
    }

    [Fact]
    public async Task A_reservation_is_stored_before_the_interaction_hears_of_the_offer_and_then_the_desktop_is_told()
    {
        var offered = await _desk.TakeOfferAsync("sales", Claim("i1"), Actor.Engine);

        Assert.NotNull(offered);
        Assert.Equal(["store", "offered", "arm"], _steps);
        Assert.Equal(WorkPhase.Offered, _desk.Workload.Find("i1")!.Phase);
        Assert.Equal(T0, _record.IdleSince);
        await _desktop.Received(1).OnOffered(Arg.Is<OfferView>(o => o.Interaction.InteractionId == "i1" && o.ExpiresAt == T0 + OfferTimeout));
    }

    [Fact]
    public async Task A_claim_the_agent_has_no_room_for_goes_back_to_its_queue_untouched()
    {
        await _desk.TakeOfferAsync("sales", Claim("v1", "voice"), Actor.Engine);

        var offered = await _desk.TakeOfferAsync("sales", Claim("v2", "voice"), Actor.Engine);

        Assert.Null(offered);
        Assert.Null(_desk.Workload.Find("v2"));
        await _sales.Received(1).Enqueue(Arg.Is<QueueEntry>(e => e.InteractionId == "v2" && e.Admitted));
    }

    [Fact]
    public async Task A_reservation_that_could_not_be_stored_is_undone_and_the_interaction_goes_back_to_its_queue()
    {
        _failWrites = true;

        await Assert.ThrowsAsync<RoutingException>(() => _desk.TakeOfferAsync("sales", Claim("i1"), Actor.Engine));

        Assert.Null(_desk.Workload.Find("i1"));
        await _sales.Received(1).Enqueue(Arg.Is<QueueEntry>(e => e.InteractionId == "i1"));
        await Interaction("i1").DidNotReceiveWithAnyArgs().MarkOffered(default!, default!, default, default, default, default!);
    }

    [Fact]
    public async Task An_interaction_that_moved_on_while_it_was_reserved_gives_the_capacity_back()
    {
        Interaction("i1").MarkOffered("a1", Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<bool>(), Arg.Any<Actor>()).Returns((OfferGrant?)null);

        var offered = await _desk.TakeOfferAsync("sales", Claim("i1"), Actor.Engine);

        Assert.Null(offered);
        Assert.Empty(_desk.Workload.Items);
        await _desktop.DidNotReceiveWithAnyArgs().OnOffered(default!);
    }

    [Fact]
    public async Task An_auto_accepted_offer_is_connected_at_once_and_stored_again()
    {
        await _desk.TakeOfferAsync("sales", Claim("i1", autoAccept: true), Actor.Engine);

        Assert.Equal(WorkPhase.Connected, _desk.Workload.Find("i1")!.Phase);
        Assert.Equal(["store", "offered", "store", "arm"], _steps);
    }

    [Fact]
    public async Task Accepting_stores_the_connection_before_telling_the_interaction()
    {
        await OfferedAsync("i1");

        await _desk.AcceptAsync("i1");

        Assert.Equal(["store", "connected"], _steps);
        Assert.Equal(WorkPhase.Connected, _desk.Workload.Find("i1")!.Phase);
    }

    [Fact]
    public async Task An_accept_the_interaction_refuses_gives_the_capacity_back()
    {
        await OfferedAsync("i1");
        Interaction("i1").MarkConnected("a1").ThrowsAsync(RoutingException.Precondition("interaction_id", "cancelled"));

        await Assert.ThrowsAsync<RoutingException>(() => _desk.AcceptAsync("i1"));

        Assert.Empty(_desk.Workload.Items);
    }

    [Fact]
    public async Task Accepting_an_expired_offer_times_it_out_and_the_agent_is_not_responding()
    {
        await OfferedAsync("i1");
        _clock.Advance(OfferTimeout + TimeSpan.FromSeconds(1));

        var refusal = await Assert.ThrowsAsync<RoutingException>(() => _desk.AcceptAsync("i1"));

        Assert.Equal(RoutingErrorCode.FailedPrecondition, refusal.Code);
        Assert.True(_record.NotResponding);
        Assert.Empty(_desk.Workload.Items);
        await Interaction("i1").Received(1).MarkReturned("a1", ReturnReason.TimedOut, Arg.Any<string?>());
        await _desktop.Received(1).OnWithdrawn("i1", "timed_out");
    }

    [Fact]
    public async Task A_timed_out_offer_is_recorded_as_an_event_before_the_state_that_stores_it()
    {
        await OfferedAsync("i1");

        await _desk.TimeOutOfferAsync(_desk.Workload.Find("i1")!, T0.AddSeconds(21));

        Assert.Equal([RoutingEventType.NotResponding], _eventsInWrite);
        Assert.Empty(_record.UnloggedEvents);
        Assert.Equal(["store", "arm", "returned"], _steps);
    }

    [Fact]
    public async Task Only_an_offer_can_be_rejected()
    {
        await OfferedAsync("i1");
        await _desk.AcceptAsync("i1");

        var refusal = await Assert.ThrowsAsync<RoutingException>(() => _desk.RejectAsync("i1", "busy"));

        Assert.Equal(RoutingErrorCode.FailedPrecondition, refusal.Code);
        Assert.NotNull(_desk.Workload.Find("i1"));
    }

    [Fact]
    public async Task A_rejected_offer_gives_the_capacity_back_and_returns_the_interaction_to_its_queue()
    {
        await OfferedAsync("i1");

        await _desk.RejectAsync("i1", "busy");

        Assert.Empty(_desk.Workload.Items);
        Assert.Equal(["store", "arm", "returned"], _steps.Take(3));
        await Interaction("i1").Received(1).MarkReturned("a1", ReturnReason.Rejected, "busy");
    }

    [Fact]
    public async Task Completing_without_wrap_up_time_finishes_the_interaction_at_once()
    {
        await OfferedAsync("i1");
        await _desk.AcceptAsync("i1");
        _steps.Clear();

        await _desk.CompleteAsync("i1", "sold");

        Assert.Empty(_desk.Workload.Items);
        Assert.Equal(["store", "wrap-up", "store", "arm", "completed"], _steps.Take(5));
    }

    [Fact]
    public async Task Completing_with_wrap_up_time_keeps_the_capacity_until_the_wrap_up_ends()
    {
        await OfferedAsync("i1", TimeSpan.FromSeconds(30));
        await _desk.AcceptAsync("i1");

        await _desk.CompleteAsync("i1", "sold");

        Assert.Equal(WorkPhase.WrapUp, _desk.Workload.Find("i1")!.Phase);
        await _desk.EndWrapUpAsync("i1");
        Assert.Empty(_desk.Workload.Items);
        await Interaction("i1").Received(1).MarkCompleted("a1", Actor.Agent("a1"));
    }

    [Fact]
    public async Task Only_connected_work_can_be_completed_and_only_wrap_up_can_be_ended()
    {
        await OfferedAsync("i1");

        await Assert.ThrowsAsync<RoutingException>(() => _desk.CompleteAsync("i1", null));
        await Assert.ThrowsAsync<RoutingException>(() => _desk.EndWrapUpAsync("i1"));
        await Assert.ThrowsAsync<RoutingException>(() => _desk.EndWrapUpAsync("unknown"));
    }

    [Fact]
    public async Task An_accept_sent_again_gets_the_first_answer_and_an_interaction_that_missed_it_is_told_again()
    {
        await OfferedAsync("i1");
        await _desk.AcceptAsync("i1");
        InteractionShows("i1", InteractionState.Offered, "a1");

        var again = await _desk.AcceptAsync("i1");

        Assert.Equal(InteractionState.Connected, again.State);
        await Interaction("i1").Received(2).MarkConnected("a1");
        InteractionShows("i1", InteractionState.Connected, "a1");
        Assert.Equal(InteractionState.Connected, (await _desk.AcceptAsync("i1")).State);
        await Interaction("i1").Received(2).MarkConnected("a1");
        Assert.Equal(WorkPhase.Connected, _desk.Workload.Find("i1")!.Phase);
    }

    [Fact]
    public async Task A_completion_sent_again_gets_the_first_answer_and_an_interaction_that_missed_it_is_told_again()
    {
        await OfferedAsync("i1", TimeSpan.FromSeconds(30));
        await _desk.AcceptAsync("i1");
        await _desk.CompleteAsync("i1", "sold");
        InteractionShows("i1", InteractionState.Connected, "a1");

        Assert.Equal(InteractionState.WrapUp, (await _desk.CompleteAsync("i1", "sold")).State);
        await Interaction("i1").Received(2).MarkWrapUp("a1", "sold");

        InteractionShows("i1", InteractionState.WrapUp, "a1");
        Assert.Equal(InteractionState.WrapUp, (await _desk.CompleteAsync("i1", "sold")).State);
        await Interaction("i1").Received(2).MarkWrapUp("a1", "sold");
        Assert.Equal(WorkPhase.WrapUp, _desk.Workload.Find("i1")!.Phase);
    }

    [Fact]
    public async Task An_end_of_wrap_up_sent_again_gets_the_first_answer_and_an_interaction_that_missed_it_is_told_again()
    {
        await OfferedAsync("i1", TimeSpan.FromSeconds(30));
        await _desk.AcceptAsync("i1");
        await _desk.CompleteAsync("i1", "sold");
        await _desk.EndWrapUpAsync("i1");
        InteractionShows("i1", InteractionState.WrapUp, "a1");

        Assert.Equal(InteractionState.Completed, (await _desk.EndWrapUpAsync("i1")).State);
        await Interaction("i1").Received(2).MarkCompleted("a1", Actor.Agent("a1"));

        InteractionShows("i1", InteractionState.Completed, "a1");
        Assert.Equal(InteractionState.Completed, (await _desk.EndWrapUpAsync("i1")).State);
        Assert.Equal(InteractionState.Completed, (await _desk.CompleteAsync("i1", "sold")).State);
        await Interaction("i1").Received(2).MarkCompleted("a1", Arg.Any<Actor>());
        Assert.Empty(_desk.Workload.Items);
    }

    [Fact]
    public async Task A_step_on_work_the_agent_does_not_have_is_still_refused_whatever_the_interaction_shows()
    {
        InteractionShows("i2", InteractionState.Completed, "a2");
        InteractionShows("i3", InteractionState.Connected, "a1");

        await Assert.ThrowsAsync<RoutingException>(() => _desk.EndWrapUpAsync("i2"));
        await Assert.ThrowsAsync<RoutingException>(() => _desk.CompleteAsync("i2", null));
        // Connected with this agent but not held here: completing it would be a step nobody took.
        await Assert.ThrowsAsync<RoutingException>(() => _desk.CompleteAsync("i3", null));
        await Interaction("i3").DidNotReceive().MarkWrapUp(Arg.Any<string>(), Arg.Any<string?>());
    }

    [Fact]
    public async Task A_withdrawn_offer_leaves_the_workload_and_the_desktop_while_an_unknown_one_changes_nothing()
    {
        await OfferedAsync("i1");

        await _desk.WithdrawAsync("unknown", "cancelled");
        Assert.Empty(_steps);

        await _desk.WithdrawAsync("i1", "cancelled");
        Assert.Empty(_desk.Workload.Items);
        await _desktop.Received(1).OnWithdrawn("i1", "cancelled");
    }

    [Fact]
    public async Task Signing_out_returns_every_standing_offer_to_its_queue()
    {
        await OfferedAsync("i1");
        await OfferedAsync("i2");

        await _desk.ReturnOffersAsync(ReturnReason.SignedOut, "signed out", "signed_out");

        Assert.Empty(_desk.Workload.Items);
        await Interaction("i1").Received(1).MarkReturned("a1", ReturnReason.SignedOut, "signed out");
        await Interaction("i2").Received(1).MarkReturned("a1", ReturnReason.SignedOut, "signed out");
    }

    [Fact]
    public async Task A_refused_hold_is_told_to_its_queue_and_stores_nothing()
    {
        _record.SignedIn = false;

        await _desk.HoldAsync("sales", "x1");

        await _sales.Received(1).HoldRefused(Arg.Any<AgentSnapshot>(), "x1");
        Assert.Empty(_steps);
    }

    [Fact]
    public async Task A_granted_hold_is_stored_and_giving_it_up_tells_its_queue()
    {
        await _desk.HoldAsync("sales", "x1");
        Assert.NotNull(_record.Hold);
        Assert.Contains("store", _steps);

        await _desk.GiveUpHoldAsync();

        Assert.Null(_record.Hold);
        await _sales.Received(1).HoldRefused(Arg.Any<AgentSnapshot>(), "x1");
    }

    [Fact]
    public async Task Reconciling_an_interaction_the_agent_does_not_hold_asks_the_interaction_to_check()
    {
        await _desk.ReconcileAsync("i9");

        await Interaction("i9").Received(1).Reconcile("a1");
    }

    [Fact]
    public async Task Reconciling_held_work_the_interaction_no_longer_gives_this_agent_drops_it()
    {
        await OfferedAsync("i1");
        Interaction("i1").GetSnapshot().Returns(AgentTestData.Interaction("i1", InteractionState.Queued, null));

        await _desk.ReconcileAllAsync();

        Assert.Empty(_desk.Workload.Items);
    }

    [Fact]
    public async Task Pulling_takes_the_best_waiting_interaction_while_there_is_room()
    {
        // In two queues, the agent asks both for their best, then claims the better one from its queue.
        _record.Config = _record.Config! with { QueueIds = ["sales", "service"] };
        _sales.Peek(Arg.Any<AgentSnapshot>()).Returns(
            new QueueCandidate("sales", "v1", 5, 0, T0, 1),
            (QueueCandidate?)null);
        _sales.Claim(Arg.Any<AgentSnapshot>(), "v1").Returns(Claim("v1", "voice"));

        await _desk.PullWorkAsync();

        Assert.Equal(WorkPhase.Offered, _desk.Workload.Find("v1")!.Phase);
        await _sales.Received(1).Claim(Arg.Any<AgentSnapshot>(), "v1");
        await _service.Received().Peek(Arg.Any<AgentSnapshot>());
    }

    [Fact]
    public async Task An_agent_in_one_queue_takes_its_best_waiting_interaction_in_one_call_to_the_queue()
    {
        _sales.ClaimBest(Arg.Any<AgentSnapshot>()).Returns(Claim("v1", "voice"), (ClaimResult?)null);

        await _desk.PullWorkAsync();

        Assert.Equal(WorkPhase.Offered, _desk.Workload.Find("v1")!.Phase);
        await _sales.Received(1).ClaimBest(Arg.Any<AgentSnapshot>());
        await _sales.DidNotReceiveWithAnyArgs().Peek(default!);
        await _sales.DidNotReceiveWithAnyArgs().Claim(default!, default!);
    }

    [Fact]
    public async Task An_agent_in_one_queue_stops_pulling_when_nothing_waits_for_it()
    {
        await _desk.PullWorkAsync();

        // Three chats' room left, but the queue answered none waiting: it is not asked again.
        await _sales.Received(1).ClaimBest(Arg.Any<AgentSnapshot>());
    }

    [Fact]
    public async Task An_agent_that_is_not_ready_pulls_nothing()
    {
        _record.NotResponding = true;

        await _desk.PullWorkAsync();

        await _sales.DidNotReceiveWithAnyArgs().Peek(default!);
        await _sales.DidNotReceiveWithAnyArgs().ClaimBest(default!);
    }
}
