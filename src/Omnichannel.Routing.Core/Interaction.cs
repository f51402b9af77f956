using System.Collections.Immutable;
using System.Globalization;

namespace Omnichannel.Routing.Core;

/// <summary>
/// One interaction's lifecycle as an aggregate: each method checks that the change is allowed (by
/// <see cref="InteractionLifecycle"/> and who holds the interaction), makes it and returns the changes to record,
/// or refuses with a reason and changes nothing. The caller loads the <see cref="InteractionStatus"/>, applies a
/// method, then stores <see cref="Status"/> and the changes together.
/// </summary>
public sealed class Interaction
{
    public Interaction(InteractionStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
    }

    public InteractionStatus Status { get; private set; }

    private string Id => Status.InteractionId;

    private InteractionState State => Status.State;

    /// <summary>
    /// A new interaction, waiting in <paramref name="queueId"/>: the queue that admitted it, which differs from
    /// <paramref name="requestedQueueId"/> when that one was full or closed and overflowed.
    /// </summary>
    public static (Interaction Interaction, InteractionDecision Decision) Route(
        string interactionId, string requestedQueueId, string queueId, int priority, DateTimeOffset now, string? detail, string? refusedBecause)
    {
        var interaction = new Interaction(new InteractionStatus
        {
            InteractionId = interactionId,
            State = InteractionState.Queued,
            QueueId = queueId,
            BasePriority = priority,
            ArrivalAt = now,
        });
        var routed = new InteractionChange(RoutingEventType.Routed, null, InteractionState.Queued, requestedQueueId, null, detail);
        return queueId == requestedQueueId
            ? (interaction, InteractionDecision.Made(routed))
            : (interaction, InteractionDecision.Made(routed, new InteractionChange(
                RoutingEventType.Overflowed, InteractionState.Queued, InteractionState.Queued, queueId, null,
                $"queue '{requestedQueueId}' is {refusedBecause ?? "full"}; routed to overflow queue '{queueId}'")));
    }

    /// <summary>The customer or a supervisor gives up on it; only while it waits or is offered.</summary>
    public InteractionDecision Cancel(string? reason, DateTimeOffset now)
    {
        if (State == InteractionState.Abandoned)
        {
            return InteractionDecision.Unchanged;
        }

        if (!InteractionLifecycle.CanMove(State, InteractionState.Abandoned))
        {
            return InteractionDecision.Refuse("interaction_id", $"'{Id}' is {Describe(State)}; only a queued or offered interaction can be cancelled");
        }

        var before = Status;
        Status = Status with { State = InteractionState.Abandoned, EndedAt = now, EndReason = reason ?? "cancelled" };
        return Made(RoutingEventType.Cancelled, before, before.QueueId, before.AgentId, reason);
    }

    /// <summary>
    /// Blind transfer to a queue: it waits there, any agent released. A waiting interaction keeps its place in time;
    /// handled work starts a new wait.
    /// </summary>
    public InteractionDecision TransferToQueue(string queueId, string? reason, DateTimeOffset now)
    {
        if (CanBeTransferred() is { } refusal)
        {
            return refusal;
        }

        if (State == InteractionState.Queued && Status.QueueId == queueId)
        {
            return InteractionDecision.Refuse("queue_id", $"'{Id}' already waits in queue '{queueId}'");
        }

        var before = Status;
        Status = Status with
        {
            QueueId = queueId,
            State = InteractionState.Queued,
            AgentId = null,
            ArrivalAt = State == InteractionState.Queued ? Status.ArrivalAt : now,
            OfferedAt = null,
            ConnectedAt = null,
        };
        return Made(RoutingEventType.Transferred, before, queueId, before.AgentId, reason ?? $"from queue '{before.QueueId}'");
    }

    /// <summary>Whether it may be handed to <paramref name="agentId"/> by transfer (warm: as a consult); changes nothing.</summary>
    public InteractionDecision CheckTransferToAgent(string agentId, bool warm)
    {
        if (warm && CanStartConsult() is { } consultRefusal)
        {
            return consultRefusal;
        }

        if (CanBeTransferred() is { } refusal)
        {
            return refusal;
        }

        return Status.AgentId == agentId
            ? InteractionDecision.Refuse("agent_id", $"'{Id}' is already with agent '{agentId}'")
            : InteractionDecision.Unchanged;
    }

    /// <summary>
    /// A queue offers it to an agent. Refused when it no longer waits in that queue (taken elsewhere, moved or
    /// cancelled meanwhile) or the agent is excluded; an auto-accept channel connects it at once.
    /// </summary>
    public InteractionDecision Offer(string agentId, string queueId, DateTimeOffset offeredAt, DateTimeOffset expiresAt, bool waitsInQueue, bool autoAccept)
    {
        if (State != InteractionState.Queued || !waitsInQueue || Status.ExcludedAgents.Contains(agentId))
        {
            return InteractionDecision.Refuse("interaction_id", $"'{Id}' is {Describe(State)} and no longer waits for agent '{agentId}' in queue '{queueId}'");
        }

        var offered = OfferTo(RoutingEventType.Offered, agentId, queueId, offeredAt, string.Create(CultureInfo.InvariantCulture, $"expires {expiresAt:O}"));
        return autoAccept ? InteractionDecision.Made(offered, AutoAccept(queueId, agentId, offeredAt)) : InteractionDecision.Made(offered);
    }

    /// <summary>An agent takes it by (blind) transfer, from a queue or from another agent.</summary>
    public InteractionDecision TransferToAgent(string agentId, string queueId, DateTimeOffset offeredAt, bool autoAccept)
    {
        if (State is not (InteractionState.Queued or InteractionState.Offered or InteractionState.Connected))
        {
            return InteractionDecision.Refuse("interaction_id", $"'{Id}' is {Describe(State)}; it can no longer be transferred");
        }

        var detail = $"to agent '{agentId}'" + (Status.AgentId is null ? string.Empty : $" from agent '{Status.AgentId}'");
        var transferred = OfferTo(RoutingEventType.Transferred, agentId, queueId, offeredAt, detail);
        return autoAccept ? InteractionDecision.Made(transferred, AutoAccept(queueId, agentId, offeredAt)) : InteractionDecision.Made(transferred);
    }

    /// <summary>The offered agent accepts.</summary>
    public InteractionDecision Connect(string agentId, DateTimeOffset now)
    {
        if (State != InteractionState.Offered || Status.AgentId != agentId)
        {
            return InteractionDecision.Refuse("interaction_id", $"'{Id}' is {Describe(State)}, not offered to agent '{agentId}'");
        }

        var before = Status;
        Status = Status with { State = InteractionState.Connected, ConnectedAt = now };
        return Made(RoutingEventType.Accepted, before, before.QueueId, agentId, null);
    }

    /// <summary>
    /// The offer to <paramref name="agentId"/> fell through (<paramref name="why"/>: rejected, timed out, signed
    /// out, stream lost, requeued): it waits again, keeping its arrival time. An agent that rejected it or let it
    /// time out is never offered it again.
    /// </summary>
    public InteractionDecision ReturnToQueue(string agentId, RoutingEventType why, string? detail)
    {
        if (State != InteractionState.Offered || Status.AgentId != agentId)
        {
            return InteractionDecision.Refuse("agent_id", $"'{Id}' is {Describe(State)}, not offered to agent '{agentId}'");
        }

        var before = Status;
        Status = Status with
        {
            State = InteractionState.Queued,
            AgentId = null,
            OfferedAt = null,
            ExcludedAgents = why is RoutingEventType.Rejected or RoutingEventType.OfferTimedOut ? Excluding(agentId) : Status.ExcludedAgents,
        };
        return Made(why, before, before.QueueId, agentId, detail);
    }

    /// <summary>
    /// The connected agent finishes the conversation and starts wrap-up. A warm transfer nobody took yet is called off
    /// (the first change); the caller withdraws it from where it was.
    /// </summary>
    public InteractionDecision WrapUp(string agentId, DateTimeOffset now, string? disposition)
    {
        if (State != InteractionState.Connected || Status.AgentId != agentId)
        {
            return InteractionDecision.Refuse("interaction_id", $"'{Id}' is {Describe(State)}, not connected with agent '{agentId}'");
        }

        InteractionChange? calledOff = null;
        if (Status.IsConsulting)
        {
            calledOff = new InteractionChange(RoutingEventType.ConsultCancelled, InteractionState.Connected, InteractionState.Connected, Status.QueueId, Status.ConsultAgentId, "the connected agent completed the interaction");
            Status = Status with { ConsultAgentId = null, ConsultQueueId = null };
        }

        var before = Status;
        Status = Status with { State = InteractionState.WrapUp, WrapUpAt = now, Disposition = disposition };
        var completed = new InteractionChange(RoutingEventType.Completed, InteractionState.Connected, InteractionState.WrapUp, before.QueueId, agentId, disposition);
        return calledOff is null ? InteractionDecision.Made(completed) : InteractionDecision.Made(calledOff, completed);
    }

    /// <summary>The agent ends wrap-up: the interaction is completed.</summary>
    public InteractionDecision Complete(string agentId, DateTimeOffset now)
    {
        if (State != InteractionState.WrapUp || Status.AgentId != agentId)
        {
            return InteractionDecision.Refuse("interaction_id", $"'{Id}' is {Describe(State)}, not in wrap-up with agent '{agentId}'");
        }

        var before = Status;
        Status = Status with { State = InteractionState.Completed, EndedAt = now, EndReason = "completed" };
        return Made(RoutingEventType.WrapUpEnded, before, before.QueueId, agentId, null);
    }

    /// <summary>
    /// Reconciliation: the agent no longer holds connected or wrap-up work, so a failure lost its last transitions.
    /// It is closed as the agent left it.
    /// </summary>
    public InteractionDecision CloseReconciled(string agentId, DateTimeOffset now)
    {
        if (State is not (InteractionState.Connected or InteractionState.WrapUp) || Status.AgentId != agentId)
        {
            return InteractionDecision.Refuse("agent_id", $"'{Id}' is {Describe(State)}, not handled by agent '{agentId}'");
        }

        const string why = "reconciled: the agent no longer held it";
        InteractionChange? wrapped = null;
        if (State == InteractionState.Connected)
        {
            Status = Status with { State = InteractionState.WrapUp, WrapUpAt = now };
            wrapped = new InteractionChange(RoutingEventType.Completed, InteractionState.Connected, InteractionState.WrapUp, Status.QueueId, agentId, why);
        }

        Status = Status with { State = InteractionState.Completed, EndedAt = now, EndReason = "completed (reconciled)" };
        var ended = new InteractionChange(RoutingEventType.WrapUpEnded, InteractionState.WrapUp, InteractionState.Completed, Status.QueueId, agentId, why);
        return wrapped is null ? InteractionDecision.Made(ended) : InteractionDecision.Made(wrapped, ended);
    }

    /// <summary>A supervisor changes the base priority; refused once it has ended.</summary>
    public InteractionDecision SetPriority(int priority)
    {
        if (InteractionLifecycle.IsEnded(State))
        {
            return InteractionDecision.Refuse("interaction_id", $"'{Id}' is {Describe(State)}; its priority no longer matters");
        }

        var before = Status;
        Status = Status with { BasePriority = priority };
        return Made(RoutingEventType.PriorityChanged, before, before.QueueId, before.AgentId, $"base priority {before.BasePriority} -> {priority}");
    }

    /// <summary>
    /// A queue changed something about the wait (<paramref name="type"/>: relaxed, preferred-agent fallback, agent
    /// held); only while it waits.
    /// </summary>
    public InteractionDecision NoteFromQueue(RoutingEventType type, string detail)
    {
        return State != InteractionState.Queued
            ? InteractionDecision.Refuse("interaction_id", $"'{Id}' is {Describe(State)}; only a waiting interaction takes notes from its queue")
            : Made(type, Status, Status.QueueId, null, detail);
    }

    /// <summary>Overflow "instead": it moves from <paramref name="fromQueueId"/> to wait in <paramref name="targetQueueId"/>.</summary>
    public InteractionDecision OverflowInstead(string fromQueueId, string targetQueueId)
    {
        if (State != InteractionState.Queued || Status.QueueId != fromQueueId)
        {
            return InteractionDecision.Refuse("queue_id", $"'{Id}' does not wait in queue '{fromQueueId}'");
        }

        Status = Status with { QueueId = targetQueueId };
        return Made(RoutingEventType.Overflowed, Status, targetQueueId, null, $"moved from queue '{fromQueueId}'");
    }

    /// <summary>Overflow "also": it still waits in <paramref name="fromQueueId"/> and is offered to the target's agents too.</summary>
    public InteractionDecision OverflowAlso(string fromQueueId, string targetQueueId)
    {
        return State != InteractionState.Queued || Status.QueueId != fromQueueId
            ? InteractionDecision.Refuse("queue_id", $"'{Id}' does not wait in queue '{fromQueueId}'")
            : Made(RoutingEventType.Overflowed, Status, targetQueueId, null, $"also offered to queue '{targetQueueId}' agents, still waiting in '{fromQueueId}'");
    }

    /// <summary>Warm transfer to a queue: it waits there for another agent while staying connected with this one.</summary>
    public InteractionDecision ConsultQueue(string queueId, string? reason)
    {
        if (CanStartConsult() is { } refusal)
        {
            return refusal;
        }

        Status = Status with { ConsultQueueId = queueId };
        return Made(RoutingEventType.ConsultQueued, Status, Status.QueueId, Status.AgentId, reason ?? $"warm transfer to queue '{queueId}'; agent '{Status.AgentId}' stays connected");
    }

    /// <summary>
    /// Whether an offer from <paramref name="queueId"/> to <paramref name="agentId"/> is the warm transfer this
    /// interaction waits for: a pending warm transfer to that agent, or the queue of a queue consult with no agent yet.
    /// </summary>
    public bool AwaitsConsult(string agentId, string queueId, string? pendingTransferAgentId, bool pendingTransferWarm) =>
        State == InteractionState.Connected
        && (pendingTransferAgentId == agentId
            ? pendingTransferWarm
            : Status.ConsultQueueId == queueId && Status.ConsultAgentId is null);

    /// <summary>The warm transfer is offered to <paramref name="agentId"/>; the first agent stays connected.</summary>
    public InteractionDecision OfferConsult(string agentId, string queueId)
    {
        if (State != InteractionState.Connected)
        {
            return InteractionDecision.Refuse("warm", $"'{Id}' is {Describe(State)}; a warm transfer starts from a connected interaction");
        }

        var before = Status;
        Status = Status with { ConsultAgentId = agentId };
        return Made(RoutingEventType.ConsultOffered, before, before.QueueId, agentId,
            $"warm transfer from agent '{before.AgentId}'" + (before.ConsultQueueId is { } q ? $" through queue '{q}'" : string.Empty) + $"; offered via '{queueId}'");
    }

    /// <summary>The consulted agent accepted: it takes over; the caller releases the first agent.</summary>
    public InteractionDecision CompleteConsult(string agentId, DateTimeOffset now)
    {
        if (State != InteractionState.Connected || Status.ConsultAgentId != agentId)
        {
            return InteractionDecision.Refuse("interaction_id", $"'{Id}' is {Describe(State)}, not offered to agent '{agentId}'");
        }

        var previous = Status.AgentId;
        Status = Status with { AgentId = agentId, ConnectedAt = now, OfferedAt = now, ConsultAgentId = null, ConsultQueueId = null };
        return Made(RoutingEventType.Transferred, Status, Status.QueueId, agentId, $"warm transfer from agent '{previous}' completed");
    }

    /// <summary>
    /// The consulted agent rejected, timed out or left: the first agent keeps it, and a queue consult looks again.
    /// <paramref name="exclude"/>: never offer it to that agent again.
    /// </summary>
    public InteractionDecision DeclineConsult(string agentId, bool exclude, string detail)
    {
        if (Status.ConsultAgentId != agentId)
        {
            return InteractionDecision.Refuse("agent_id", $"'{Id}' has no warm transfer offered to agent '{agentId}'");
        }

        Status = Status with { ConsultAgentId = null, ExcludedAgents = exclude ? Excluding(agentId) : Status.ExcludedAgents };
        return InteractionDecision.Made(new InteractionChange(RoutingEventType.ConsultDeclined, InteractionState.Connected, InteractionState.Connected, Status.QueueId, agentId, detail));
    }

    /// <summary>The state as the API names it (WRAP_UP, not WrapUp).</summary>
    public static string Describe(InteractionState state) => state switch
    {
        InteractionState.WrapUp => "WRAP_UP",
        _ => state.ToString().ToUpperInvariant(),
    };

    private InteractionDecision? CanBeTransferred() =>
        State is InteractionState.Queued or InteractionState.Offered or InteractionState.Connected
            ? null
            : InteractionDecision.Refuse("interaction_id", $"'{Id}' is {Describe(State)}; it can no longer be transferred");

    private InteractionDecision? CanStartConsult()
    {
        if (State != InteractionState.Connected)
        {
            return InteractionDecision.Refuse("warm", $"'{Id}' is {Describe(State)}; a warm transfer starts from a connected interaction");
        }

        return Status.IsConsulting ? InteractionDecision.Refuse("warm", $"'{Id}' already has a warm transfer in progress") : null;
    }

    private InteractionChange OfferTo(RoutingEventType type, string agentId, string queueId, DateTimeOffset offeredAt, string detail)
    {
        var from = State;
        Move(InteractionState.Offered);
        Status = Status with { AgentId = agentId, QueueId = queueId, OfferedAt = offeredAt };
        return new InteractionChange(type, from, InteractionState.Offered, queueId, agentId, detail);
    }

    private InteractionChange AutoAccept(string queueId, string agentId, DateTimeOffset offeredAt)
    {
        Move(InteractionState.Connected);
        Status = Status with { ConnectedAt = offeredAt };
        return new InteractionChange(RoutingEventType.Accepted, InteractionState.Offered, InteractionState.Connected, queueId, agentId, "auto-accept channel");
    }

    /// <summary>The change from <paramref name="before"/> to the current status, after checking the lifecycle allows it.</summary>
    private InteractionDecision Made(RoutingEventType type, InteractionStatus before, string? queueId, string? agentId, string? detail)
    {
        if (before.State != State && !InteractionLifecycle.CanMove(before.State, State))
        {
            throw new InvalidOperationException($"{Id}: the lifecycle does not allow {before.State} -> {State}");
        }

        return InteractionDecision.Made(new InteractionChange(type, before.State, State, queueId, agentId, detail));
    }

    private void Move(InteractionState to)
    {
        if (!InteractionLifecycle.CanMove(State, to))
        {
            throw new InvalidOperationException($"{Id}: the lifecycle does not allow {State} -> {to}");
        }

        Status = Status with { State = to };
    }

    private ImmutableArray<string> Excluding(string agentId) =>
        Status.ExcludedAgents.Contains(agentId) ? Status.ExcludedAgents : Status.ExcludedAgents.Add(agentId);
}
