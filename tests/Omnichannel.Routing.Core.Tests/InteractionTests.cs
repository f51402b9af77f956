namespace Omnichannel.Routing.Core.Tests;

public sealed class InteractionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static Interaction Waiting(string queueId = "sales") =>
        Interaction.Route("i-1", queueId, queueId, 5, Now, null, null).Interaction;

    private static Interaction OfferedTo(string agentId)
    {
        var interaction = Waiting();
        interaction.Offer(agentId, "sales", Now, Now.AddSeconds(30), waitsInQueue: true, autoAccept: false);
        return interaction;
    }

    private static Interaction ConnectedWith(string agentId)
    {
        var interaction = OfferedTo(agentId);
        interaction.Connect(agentId, Now.AddSeconds(5));
        return interaction;
    }

    [Fact]
    public void Routing_to_a_full_queue_that_overflowed_records_both_the_route_and_the_overflow()
    {
        var (interaction, decision) = Interaction.Route("i-1", "sales", "overflow", 5, Now, null, "closed");

        Assert.Equal([RoutingEventType.Routed, RoutingEventType.Overflowed], decision.Changes.Select(c => c.Type));
        Assert.Equal("sales", decision.Changes[0].QueueId);
        Assert.Equal("overflow", interaction.Status.QueueId);
        Assert.Contains("is closed", decision.Changes[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_whole_main_path_records_one_change_per_step_in_lifecycle_order()
    {
        var interaction = Waiting();
        var changes = new[]
        {
            interaction.Offer("ana", "sales", Now, Now.AddSeconds(30), waitsInQueue: true, autoAccept: false),
            interaction.Connect("ana", Now.AddSeconds(5)),
            interaction.WrapUp("ana", Now.AddMinutes(3), "sold"),
            interaction.Complete("ana", Now.AddMinutes(4)),
        }.SelectMany(d => d.Changes).ToList();

        Assert.Equal([RoutingEventType.Offered, RoutingEventType.Accepted, RoutingEventType.Completed, RoutingEventType.WrapUpEnded], changes.Select(c => c.Type));
        Assert.All(changes, c => Assert.True(InteractionLifecycle.CanMove(c.From!.Value, c.To)));
        Assert.Equal(InteractionState.Completed, interaction.Status.State);
        Assert.Equal("sold", interaction.Status.Disposition);
        Assert.Equal("completed", interaction.Status.EndReason);
    }

    [Fact]
    public void An_auto_accept_channel_connects_the_offer_at_once()
    {
        var interaction = Waiting();

        var decision = interaction.Offer("ana", "sales", Now, Now.AddSeconds(30), waitsInQueue: true, autoAccept: true);

        Assert.Equal([RoutingEventType.Offered, RoutingEventType.Accepted], decision.Changes.Select(c => c.Type));
        Assert.Equal(InteractionState.Connected, interaction.Status.State);
        Assert.Equal(Now, interaction.Status.ConnectedAt);
    }

    [Fact]
    public void An_offer_to_an_agent_that_rejected_it_before_is_refused_and_changes_nothing()
    {
        var interaction = OfferedTo("ana");
        interaction.ReturnToQueue("ana", RoutingEventType.Rejected, null);
        var before = interaction.Status;

        var decision = interaction.Offer("ana", "sales", Now, Now.AddSeconds(30), waitsInQueue: true, autoAccept: false);

        Assert.True(decision.IsRefused);
        Assert.Empty(decision.Changes);
        Assert.Same(before, interaction.Status);
    }

    [Theory]
    [InlineData(RoutingEventType.Rejected, true)]
    [InlineData(RoutingEventType.OfferTimedOut, true)]
    [InlineData(RoutingEventType.ReturnedOnSignOut, false)]
    [InlineData(RoutingEventType.ReturnedOnStreamLost, false)]
    [InlineData(RoutingEventType.Requeued, false)]
    public void A_returned_offer_waits_again_with_its_arrival_and_excludes_only_an_agent_that_refused_it(RoutingEventType why, bool excluded)
    {
        var interaction = OfferedTo("ana");

        var decision = interaction.ReturnToQueue("ana", why, "detail");

        Assert.Equal(why, Assert.Single(decision.Changes).Type);
        Assert.Equal(InteractionState.Queued, interaction.Status.State);
        Assert.Null(interaction.Status.AgentId);
        Assert.Equal(Now, interaction.Status.ArrivalAt);
        Assert.Equal(excluded, interaction.Status.ExcludedAgents.Contains("ana"));
    }

    [Fact]
    public void Only_the_agent_an_interaction_is_offered_to_can_accept_it()
    {
        var interaction = OfferedTo("ana");

        var decision = interaction.Connect("bob", Now);

        Assert.Equal("interaction_id", decision.Refusal!.Field);
        Assert.Equal("'i-1' is OFFERED, not offered to agent 'bob'", decision.Refusal.Reason);
        Assert.Equal("ana", interaction.Status.AgentId);
    }

    [Fact]
    public void Connected_work_cannot_be_cancelled_but_a_second_cancel_is_harmless()
    {
        Assert.Equal("'i-1' is CONNECTED; only a queued or offered interaction can be cancelled", ConnectedWith("ana").Cancel(null, Now).Refusal!.Reason);

        var waiting = Waiting();
        Assert.Equal(RoutingEventType.Cancelled, Assert.Single(waiting.Cancel("customer hung up", Now).Changes).Type);
        Assert.Equal("customer hung up", waiting.Status.EndReason);

        var again = waiting.Cancel(null, Now);
        Assert.False(again.IsRefused);
        Assert.Empty(again.Changes);
    }

    [Fact]
    public void A_transfer_of_handled_work_to_a_queue_starts_a_new_wait_but_a_waiting_one_keeps_its_place()
    {
        var handled = ConnectedWith("ana");
        var later = Now.AddMinutes(10);
        handled.TransferToQueue("billing", null, later);
        Assert.Equal(later, handled.Status.ArrivalAt);
        Assert.Null(handled.Status.AgentId);
        Assert.Equal("billing", handled.Status.QueueId);

        var waiting = Waiting();
        var moved = waiting.TransferToQueue("billing", null, later);
        Assert.Equal(Now, waiting.Status.ArrivalAt);
        Assert.Equal("from queue 'sales'", Assert.Single(moved.Changes).Detail);
    }

    [Fact]
    public void A_transfer_to_the_queue_it_already_waits_in_is_refused()
    {
        var decision = Waiting().TransferToQueue("sales", null, Now);

        Assert.Equal(new InteractionRefusal("queue_id", "'i-1' already waits in queue 'sales'"), decision.Refusal);
    }

    [Fact]
    public void A_warm_transfer_needs_a_connected_interaction_and_only_one_at_a_time()
    {
        Assert.Equal("warm", Waiting().ConsultQueue("billing", null).Refusal!.Field);

        var interaction = ConnectedWith("ana");
        Assert.False(interaction.ConsultQueue("billing", null).IsRefused);
        Assert.Equal("'i-1' already has a warm transfer in progress", interaction.CheckTransferToAgent("bob", warm: true).Refusal!.Reason);
        Assert.Equal(InteractionState.Connected, interaction.Status.State);
    }

    [Fact]
    public void A_consulted_agent_who_accepts_takes_over_and_the_consult_ends()
    {
        var interaction = ConnectedWith("ana");
        interaction.ConsultQueue("billing", null);
        Assert.True(interaction.AwaitsConsult("bob", "billing", pendingTransferAgentId: null, pendingTransferWarm: false));
        interaction.OfferConsult("bob", "billing");

        var decision = interaction.CompleteConsult("bob", Now.AddMinutes(1));

        Assert.Equal(RoutingEventType.Transferred, Assert.Single(decision.Changes).Type);
        Assert.Equal("bob", interaction.Status.AgentId);
        Assert.False(interaction.Status.IsConsulting);
        Assert.Equal(InteractionState.Connected, interaction.Status.State);
    }

    [Fact]
    public void A_declined_consult_leaves_the_first_agent_connected_and_keeps_the_queue_consult_open()
    {
        var interaction = ConnectedWith("ana");
        interaction.ConsultQueue("billing", null);
        interaction.OfferConsult("bob", "billing");

        interaction.DeclineConsult("bob", exclude: true, "Rejected");

        Assert.Equal("ana", interaction.Status.AgentId);
        Assert.Null(interaction.Status.ConsultAgentId);
        Assert.Equal("billing", interaction.Status.ConsultQueueId);
        Assert.Contains("bob", interaction.Status.ExcludedAgents);
    }

    [Fact]
    public void Wrapping_up_during_a_warm_transfer_calls_it_off_first()
    {
        var interaction = ConnectedWith("ana");
        interaction.ConsultQueue("billing", null);
        interaction.OfferConsult("bob", "billing");

        var decision = interaction.WrapUp("ana", Now.AddMinutes(2), null);

        Assert.Equal([RoutingEventType.ConsultCancelled, RoutingEventType.Completed], decision.Changes.Select(c => c.Type));
        Assert.Equal("bob", decision.Changes[0].AgentId);
        Assert.False(interaction.Status.IsConsulting);
    }

    [Fact]
    public void Reconciling_connected_work_the_agent_no_longer_holds_closes_it_through_wrap_up()
    {
        var interaction = ConnectedWith("ana");

        var decision = interaction.CloseReconciled("ana", Now.AddMinutes(5));

        Assert.Equal([RoutingEventType.Completed, RoutingEventType.WrapUpEnded], decision.Changes.Select(c => c.Type));
        Assert.Equal(InteractionState.Completed, interaction.Status.State);
        Assert.Equal("completed (reconciled)", interaction.Status.EndReason);
    }

    [Fact]
    public void An_ended_interaction_takes_no_new_priority_and_no_transfer()
    {
        var interaction = Waiting();
        interaction.Cancel(null, Now);

        Assert.True(interaction.SetPriority(9).IsRefused);
        Assert.True(interaction.TransferToQueue("billing", null, Now).IsRefused);
        Assert.True(interaction.TransferToAgent("bob", "sales", Now, autoAccept: false).IsRefused);
        Assert.Equal(5, interaction.Status.BasePriority);
    }

    [Fact]
    public void Overflow_instead_moves_the_wait_while_overflow_also_keeps_it()
    {
        var moved = Waiting();
        Assert.Equal("overflow", Assert.Single(moved.OverflowInstead("sales", "overflow").Changes).QueueId);
        Assert.Equal("overflow", moved.Status.QueueId);

        var kept = Waiting();
        Assert.Equal("overflow", Assert.Single(kept.OverflowAlso("sales", "overflow").Changes).QueueId);
        Assert.Equal("sales", kept.Status.QueueId);
        Assert.True(kept.OverflowAlso("billing", "overflow").IsRefused);
    }

    [Fact]
    public void Only_a_waiting_interaction_takes_notes_from_its_queue()
    {
        Assert.Equal(RoutingEventType.Relaxed, Assert.Single(Waiting().NoteFromQueue(RoutingEventType.Relaxed, "skills relaxed").Changes).Type);
        Assert.True(OfferedTo("ana").NoteFromQueue(RoutingEventType.Relaxed, "skills relaxed").IsRefused);
    }
}
