using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// One interaction: its state, context and history, and the only place its state changes, so every transition is
/// checked against <see cref="InteractionLifecycle"/> and recorded in order with who caused it. It awaits queues
/// and the customer (which await nothing back) and reaches agents one-way.
/// </summary>
public sealed partial class InteractionGrain : RoutingGrain, IInteractionGrain
{
    private static readonly TimeSpan WatcherLease = TimeSpan.FromMinutes(5);

    private readonly IPersistentState<InteractionRecord> _state;
    private readonly TimeProvider _clock;
    private readonly RoutingOptions _options;
    private readonly IRoutingEventLog _eventLog;
    private readonly ILogger<InteractionGrain> _logger;
    private readonly Dictionary<IInteractionObserver, DateTimeOffset> _watchers = [];
    private DeadlineTimer? _reconcile;
    private EventOutbox? _outbox;

    public InteractionGrain(
        [PersistentState("interaction", RoutingOptions.StorageName)] IPersistentState<InteractionRecord> state,
        [FromKeyedServices(RoutingOptions.ClockKey)] TimeProvider clock,
        IOptions<RoutingOptions> options,
        IRoutingEventLog eventLog,
        ILogger<InteractionGrain> logger)
    {
        _state = state;
        _clock = clock;
        _options = options.Value;
        _eventLog = eventLog;
        _logger = logger;
    }

    private string InteractionId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An unfinished interaction keeps itself active and checks, now and then, that its queue or agent agrees.
        _reconcile = new DeadlineTimer(this, _clock, ReconcileAsync, keepAlive: true);
        if (Record.Current is { } current && !InteractionLifecycle.IsEnded(current.State))
        {
            // Just activated (a restart, a moved activation): check at once.
            _reconcile.ArmAt(_clock.GetUtcNow());
        }

        // Events committed before a crash but not yet logged go to the log now.
        await FlushEventLogAsync();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _reconcile?.Stop();
        return Task.CompletedTask;
    }

    private InteractionRecord Record => _state.State;

    private EventOutbox Outbox => _outbox ??= new EventOutbox(_eventLog, () => _state.State.UnloggedEvents, _logger, $"Interaction {InteractionId}");

    private InteractionSnapshot Current => Record.Current ?? throw RoutingException.NotFound("interaction_id", "interaction", InteractionId);

    public async Task<RouteOutcome> Route(RouteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Record.Current is { } existing)
        {
            // Idempotent on request_id (the id is derived from it): the first outcome, replayed.
            return new RouteOutcome(await WithQueuePositionAsync(existing), Replayed: true);
        }

        // Admission first (full, closed, overflow), so a refusal leaves nothing behind: not even an event.
        var (admission, queueId, overflowedFrom) = await AdmitFollowingOverflowAsync(command.QueueId, command.Channel);
        if (admission.Outcome != EnqueueOutcome.Queued)
        {
            throw Refusal(admission, queueId);
        }

        var customer = await GrainFactory.GetGrain<ICustomerGrain>(command.CustomerId).GetRouteContext(command.Channel);
        var preferred = command.PreferredAgentId
            ?? (command.PreferLastAgent ? customer.LastAgentId : null)
            ?? (admission.PreferActiveAgent ? customer.ActiveAgentId : null);
        var now = _clock.GetUtcNow();
        var context = customer.InheritedContext.SetItems(command.Context);
        Record.Current = new InteractionSnapshot(
            InteractionId,
            command.RequestId,
            command.CustomerId,
            command.Channel,
            queueId,
            InteractionState.Queued,
            command.Priority,
            command.RequiredSkills,
            command.PreferredSkills,
            context,
            AgentId: null,
            preferred,
            CreatedAt: now,
            ArrivalAt: now,
            OfferedAt: null,
            ConnectedAt: null,
            WrapUpAt: null,
            EndedAt: null,
            EstimatedWait: null,
            QueuePosition: 0,
            Disposition: null,
            customer.JourneyId,
            ExcludedAgents: [],
            EndReason: null,
            History: []);
        Record.PreferredAgentWait = preferred is null ? TimeSpan.Zero : command.PreferredAgentWait;
        Record.RecentJourney = customer.RecentJourney;
        var detail = preferred is null ? null : $"preferred agent '{preferred}'" + (command.PreferredAgentId is null ? " (customer's previous agent)" : string.Empty);
        Record.OverflowedFrom = overflowedFrom;
        var events = new List<InteractionEventRecord> { Append(RoutingEventType.Routed, null, InteractionState.Queued, command.QueueId, null, command.Actor, detail) };
        if (queueId != command.QueueId)
        {
            events.Add(Append(RoutingEventType.Overflowed, InteractionState.Queued, InteractionState.Queued, queueId, null, command.Actor, $"queue '{command.QueueId}' is {admission.Message ?? "full"}; routed to overflow queue '{queueId}'"));
        }

        // Acknowledged means recorded: the events and the state are stored before any queue can offer it.
        await PersistAsync(events);

        var result = await GrainFactory.GetGrain<IQueueGrain>(queueId).Enqueue(EntryFor(Current, admitted: true, overflowedFrom) with { NewArrival = true });
        _reconcile?.ArmAt(_clock.GetUtcNow() + _options.ReconcilePeriod);

        RecordJourney(force: true);
        var snapshot = Current with
        {
            EstimatedWait = result.EstimatedWait,
            QueuePosition = result.Position,
        };
        return new RouteOutcome(snapshot, Replayed: false);
    }

    public async Task<InteractionSnapshot?> GetSnapshot() =>
        Record.Current is { } current ? await WithQueuePositionAsync(current) : null;

    public async Task<InteractionSnapshot> Cancel(string? reason, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = Current;
        switch (current.State)
        {
            case InteractionState.Abandoned:
                return current;
            case InteractionState.Queued:
                await RemoveFromQueuesAsync(current.QueueId);
                break;
            case InteractionState.Offered:
                GrainFactory.GetGrain<IAgentGrain>(current.AgentId!).Withdraw(InteractionId, "cancelled").Ignore();
                break;
            default:
                throw RoutingException.Precondition("interaction_id", $"'{InteractionId}' is {Name(current.State)}; only a queued or offered interaction can be cancelled");
        }

        var now = _clock.GetUtcNow();
        Record.Current = current with { State = InteractionState.Abandoned, EndedAt = now, EndReason = reason ?? "cancelled" };
        Record.PendingTransferAgentId = null;
        var e = Append(RoutingEventType.Cancelled, current.State, InteractionState.Abandoned, current.QueueId, current.AgentId, actor, reason);
        await PersistAsync([e]);
        Track(current.QueueId, InteractionState.Abandoned, waited: now - current.ArrivalAt);
        RoutingMetrics.InteractionAbandoned(current.QueueId, current.Channel);
        RecordJourney();
        return Current;
    }

    public async Task<InteractionSnapshot> TransferToQueue(string queueId, ImmutableDictionary<string, string> context, string? reason, Actor actor, bool warm)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(actor);
        var current = Current;
        if (warm)
        {
            return await ConsultQueueAsync(queueId, context, reason, actor);
        }

        if (current.State is not (InteractionState.Queued or InteractionState.Offered or InteractionState.Connected))
        {
            throw RoutingException.Precondition("interaction_id", $"'{InteractionId}' is {Name(current.State)}; it can no longer be transferred");
        }

        if (current.State == InteractionState.Queued && current.QueueId == queueId)
        {
            throw RoutingException.Precondition("queue_id", $"'{InteractionId}' already waits in queue '{queueId}'");
        }

        var now = _clock.GetUtcNow();
        // A waiting interaction keeps its place in time; handled work starts a new wait in the new queue.
        var arrival = current.State == InteractionState.Queued ? current.ArrivalAt : now;
        var moved = current with
        {
            QueueId = queueId,
            State = InteractionState.Queued,
            AgentId = null,
            ArrivalAt = arrival,
            Context = current.Context.SetItems(context),
            OfferedAt = null,
            ConnectedAt = null,
        };
        var target = GrainFactory.GetGrain<IQueueGrain>(queueId);
        var config = await target.GetConfig() ?? throw RoutingException.NotFound("queue_id", "queue", queueId);
        if (!config.Channels.Contains(current.Channel))
        {
            throw RoutingException.Invalid("queue_id", $"queue '{queueId}' does not take channel '{current.Channel}'");
        }

        // The target is asked first, so a refusal there changes nothing here.
        var admission = await target.CheckAdmission(current.Channel, []);
        if (admission.Outcome != EnqueueOutcome.Queued)
        {
            throw Refusal(admission.Outcome == EnqueueOutcome.Overflow ? admission with { Outcome = EnqueueOutcome.Full } : admission, queueId);
        }

        var previousQueues = Record.AlsoQueues.Add(current.QueueId);
        Record.Current = moved;
        Record.AlsoQueues = [];
        Record.OverflowedFrom = [];
        Record.PendingTransferAgentId = null;
        var e = Append(RoutingEventType.Transferred, current.State, InteractionState.Queued, queueId, current.AgentId, actor, reason ?? $"from queue '{current.QueueId}'");
        await PersistAsync([e]);

        if (current.State == InteractionState.Queued)
        {
            foreach (var previous in previousQueues)
            {
                await GrainFactory.GetGrain<IQueueGrain>(previous).Remove(InteractionId);
            }
        }
        else
        {
            GrainFactory.GetGrain<IAgentGrain>(current.AgentId!).Withdraw(InteractionId, "transferred").Ignore();
            Track(current.QueueId, InteractionState.Queued);
        }

        var result = await target.Enqueue(EntryFor(Current, admitted: true, []));
        RecordJourney(force: true);
        return Current with { EstimatedWait = result.EstimatedWait, QueuePosition = result.Position };
    }

    public async Task<QueueEntry> PrepareTransferToAgent(string agentId, ImmutableDictionary<string, string> context, Actor actor, bool warm)
    {
        ArgumentNullException.ThrowIfNull(context);
        var current = Current;
        if (warm && current.State != InteractionState.Connected)
        {
            throw RoutingException.Precondition("warm", $"'{InteractionId}' is {Name(current.State)}; a warm transfer starts from a connected interaction");
        }

        if (warm && (current.ConsultAgentId is not null || current.ConsultQueueId is not null))
        {
            throw RoutingException.Precondition("warm", $"'{InteractionId}' already has a warm transfer in progress");
        }

        if (current.State is not (InteractionState.Queued or InteractionState.Offered or InteractionState.Connected))
        {
            throw RoutingException.Precondition("interaction_id", $"'{InteractionId}' is {Name(current.State)}; it can no longer be transferred");
        }

        if (current.AgentId == agentId)
        {
            throw RoutingException.Precondition("agent_id", $"'{InteractionId}' is already with agent '{agentId}'");
        }

        Record.PendingTransferAgentId = agentId;
        Record.PendingTransferWarm = warm;
        if (context.Count > 0)
        {
            Record.Current = current with { Context = current.Context.SetItems(context) };
        }

        await PersistAsync([]);
        return EntryFor(Current, admitted: true, []) with { ExcludedAgents = [] };
    }

    public async Task<OfferGrant?> MarkOffered(string agentId, string queueId, DateTimeOffset offeredAt, DateTimeOffset expiresAt, bool autoAccept, Actor actor)
    {
        if (Record.Current is not { } current || InteractionLifecycle.IsEnded(current.State))
        {
            return null;
        }

        var transfer = Record.PendingTransferAgentId == agentId;
        var consult = current.State == InteractionState.Connected
            && ((transfer && Record.PendingTransferWarm) || (!transfer && current.ConsultQueueId == queueId && current.ConsultAgentId is null));
        if (consult)
        {
            return await OfferConsultAsync(current, agentId, queueId, offeredAt, autoAccept, actor);
        }

        RoutingEventType type;
        string detail;
        if (transfer)
        {
            switch (current.State)
            {
                case InteractionState.Queued:
                    await RemoveFromQueuesAsync(current.QueueId);
                    break;
                case InteractionState.Offered or InteractionState.Connected:
                    GrainFactory.GetGrain<IAgentGrain>(current.AgentId!).Withdraw(InteractionId, "transferred").Ignore();
                    break;
                default:
                    return null;
            }

            type = RoutingEventType.Transferred;
            detail = $"to agent '{agentId}'" + (current.AgentId is null ? string.Empty : $" from agent '{current.AgentId}'");
        }
        else
        {
            var inQueue = current.QueueId == queueId || Record.AlsoQueues.Contains(queueId);
            if (current.State != InteractionState.Queued || !inQueue || current.ExcludedAgents.Contains(agentId))
            {
                // Taken elsewhere, moved or cancelled meanwhile: the agent's reservation must be undone.
                return null;
            }

            foreach (var other in Record.AlsoQueues.Add(current.QueueId).Where(q => q != queueId))
            {
                await GrainFactory.GetGrain<IQueueGrain>(other).Remove(InteractionId);
            }

            type = RoutingEventType.Offered;
            detail = $"expires {expiresAt:O}";
        }

        Record.Current = Current with { State = InteractionState.Offered, AgentId = agentId, QueueId = queueId, OfferedAt = offeredAt };
        Record.AlsoQueues = [];
        Record.PendingTransferAgentId = null;
        var events = new List<InteractionEventRecord> { Append(type, current.State, InteractionState.Offered, queueId, agentId, actor, detail) };
        if (autoAccept)
        {
            Record.Current = Current with { State = InteractionState.Connected, ConnectedAt = offeredAt };
            events.Add(Append(RoutingEventType.Accepted, InteractionState.Offered, InteractionState.Connected, queueId, agentId, actor, "auto-accept channel"));
        }

        await PersistAsync(events);
        Track(queueId, Current.State);
        RecordJourney();
        return new OfferGrant(Current with { History = [] }, Record.RecentJourney);
    }

    public async Task<InteractionSnapshot> MarkConnected(string agentId)
    {
        var current = Current;
        if (current.State == InteractionState.Connected && current.ConsultAgentId == agentId)
        {
            return await CompleteConsultAsync(current, agentId, Actor.Agent(agentId));
        }

        if (current.State != InteractionState.Offered || current.AgentId != agentId)
        {
            throw RoutingException.Precondition("interaction_id", $"'{InteractionId}' is {Name(current.State)}, not offered to agent '{agentId}'");
        }

        var now = _clock.GetUtcNow();
        Record.Current = current with { State = InteractionState.Connected, ConnectedAt = now };
        var e = Append(RoutingEventType.Accepted, InteractionState.Offered, InteractionState.Connected, current.QueueId, agentId, Actor.Agent(agentId), null);
        await PersistAsync([e]);
        Track(current.QueueId, InteractionState.Connected, waited: now - current.ArrivalAt);
        RecordJourney();
        return Current;
    }

    public async Task<InteractionSnapshot> MarkReturned(string agentId, ReturnReason reason, string? detail)
    {
        var current = Current;
        if (current.ConsultAgentId == agentId)
        {
            return await DeclineConsultAsync(current, agentId, reason, detail);
        }

        if (current.State != InteractionState.Offered || current.AgentId != agentId)
        {
            return current;
        }

        var exclude = reason is ReturnReason.Rejected or ReturnReason.TimedOut;
        var returned = current with
        {
            State = InteractionState.Queued,
            AgentId = null,
            OfferedAt = null,
            ExcludedAgents = exclude && !current.ExcludedAgents.Contains(agentId) ? current.ExcludedAgents.Add(agentId) : current.ExcludedAgents,
        };
        var (type, actor) = reason switch
        {
            ReturnReason.Rejected => (RoutingEventType.Rejected, Actor.Agent(agentId)),
            ReturnReason.TimedOut => (RoutingEventType.OfferTimedOut, Actor.Engine),
            ReturnReason.SignedOut => (RoutingEventType.ReturnedOnSignOut, Actor.Agent(agentId)),
            ReturnReason.StreamLost => (RoutingEventType.ReturnedOnStreamLost, Actor.Engine),
            _ => (RoutingEventType.Requeued, Actor.Engine),
        };
        Record.Current = returned;
        var e = Append(type, InteractionState.Offered, InteractionState.Queued, current.QueueId, agentId, actor, detail);
        await PersistAsync([e]);
        Track(current.QueueId, InteractionState.Queued);

        // Back in line with its original arrival time (contract §3.8); a closed or full queue still takes it back.
        var result = await GrainFactory.GetGrain<IQueueGrain>(current.QueueId).Enqueue(EntryFor(returned, admitted: true, Record.OverflowedFrom));
        RecordJourney();
        return Current with { EstimatedWait = result.EstimatedWait, QueuePosition = result.Position };
    }

    public async Task<InteractionSnapshot> MarkWrapUp(string agentId, string? disposition)
    {
        var current = Current;
        if (current.State != InteractionState.Connected || current.AgentId != agentId)
        {
            throw RoutingException.Precondition("interaction_id", $"'{InteractionId}' is {Name(current.State)}, not connected with agent '{agentId}'");
        }

        var now = _clock.GetUtcNow();
        var events = new List<InteractionEventRecord>();
        if (current.ConsultAgentId is not null || current.ConsultQueueId is not null)
        {
            // The first agent finished before anyone took the warm transfer: it is called off.
            await CancelConsultAsync(current);
            events.Add(Append(RoutingEventType.ConsultCancelled, InteractionState.Connected, InteractionState.Connected, current.QueueId, current.ConsultAgentId, Actor.Agent(agentId), "the connected agent completed the interaction"));
            current = Current;
        }

        Record.Current = current with { State = InteractionState.WrapUp, WrapUpAt = now, Disposition = disposition };
        events.Add(Append(RoutingEventType.Completed, InteractionState.Connected, InteractionState.WrapUp, current.QueueId, agentId, Actor.Agent(agentId), disposition));
        await PersistAsync(events);
        Track(current.QueueId, InteractionState.WrapUp);
        RecordJourney();
        return Current;
    }

    public async Task<InteractionSnapshot> MarkCompleted(string agentId, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = Current;
        if (current.State != InteractionState.WrapUp || current.AgentId != agentId)
        {
            throw RoutingException.Precondition("interaction_id", $"'{InteractionId}' is {Name(current.State)}, not in wrap-up with agent '{agentId}'");
        }

        var now = _clock.GetUtcNow();
        Record.Current = current with { State = InteractionState.Completed, EndedAt = now, EndReason = "completed" };
        var e = Append(RoutingEventType.WrapUpEnded, InteractionState.WrapUp, InteractionState.Completed, current.QueueId, agentId, actor, null);
        await PersistAsync([e]);
        Track(current.QueueId, InteractionState.Completed, handle: current.ConnectedAt is { } connected ? now - connected : null);
        RecordJourney();
        return Current;
    }

    public async Task<InteractionSnapshot> SetPriority(int priority, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = Current;
        if (InteractionLifecycle.IsEnded(current.State))
        {
            throw RoutingException.Precondition("interaction_id", $"'{InteractionId}' is {Name(current.State)}; its priority no longer matters");
        }

        Record.Current = current with { BasePriority = priority };
        var e = Append(RoutingEventType.PriorityChanged, current.State, current.State, current.QueueId, current.AgentId, actor, $"base priority {current.BasePriority} -> {priority}");
        await PersistAsync([e]);
        if (current.State == InteractionState.Queued)
        {
            foreach (var queueId in Record.AlsoQueues.Add(current.QueueId))
            {
                await GrainFactory.GetGrain<IQueueGrain>(queueId).Reprioritize(InteractionId, priority);
            }
        }

        return await WithQueuePositionAsync(Current);
    }

    public Task Subscribe(IInteractionObserver observer)
    {
        _watchers[observer] = _clock.GetUtcNow() + WatcherLease;
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IInteractionObserver observer)
    {
        _watchers.Remove(observer);
        return Task.CompletedTask;
    }

    public async Task NoteFromQueue(QueueNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (Record.Current is not { State: InteractionState.Queued } current)
        {
            return;
        }

        // The event keeps the interaction's own queue (the log's latest-state index reads it); a note from an
        // overflow queue says so in its detail.
        var detail = note.QueueId == current.QueueId ? note.Detail : $"{note.Detail} (in overflow queue '{note.QueueId}')";
        var e = Append(note.Type, InteractionState.Queued, InteractionState.Queued, current.QueueId, null, Actor.Engine, detail);
        await PersistAsync([e]);
    }

    public async Task Reconcile(string agentId)
    {
        if (Record.Current is { } consulted && consulted.ConsultAgentId == agentId)
        {
            await DeclineConsultAsync(consulted, agentId, ReturnReason.Reconciled, "the consulted agent no longer held the offer");
            return;
        }

        if (Record.Current is not { } current || current.AgentId != agentId)
        {
            return;
        }

        switch (current.State)
        {
            case InteractionState.Offered:
                await MarkReturned(agentId, ReturnReason.Reconciled, "the agent no longer held the offer");
                break;

            case InteractionState.Connected or InteractionState.WrapUp:
                // The agent finished it, but a failure lost the last transitions: close it as the agent left it.
                var now = _clock.GetUtcNow();
                var events = new List<InteractionEventRecord>();
                if (current.State == InteractionState.Connected)
                {
                    Record.Current = Current with { State = InteractionState.WrapUp, WrapUpAt = now };
                    events.Add(Append(RoutingEventType.Completed, InteractionState.Connected, InteractionState.WrapUp, current.QueueId, agentId, Actor.Engine, "reconciled: the agent no longer held it"));
                }

                Record.Current = Current with { State = InteractionState.Completed, EndedAt = now, EndReason = "completed (reconciled)" };
                events.Add(Append(RoutingEventType.WrapUpEnded, InteractionState.WrapUp, InteractionState.Completed, current.QueueId, agentId, Actor.Engine, "reconciled: the agent no longer held it"));
                await PersistAsync(events);
                RecordJourney();
                break;
        }
    }

    public async Task Rejoin(string queueId)
    {
        if (Record.Current is { State: InteractionState.Queued } current && (current.QueueId == queueId || Record.AlsoQueues.Contains(queueId)))
        {
            await GrainFactory.GetGrain<IQueueGrain>(queueId).Enqueue(EntryFor(current, admitted: true, Record.OverflowedFrom));
        }
    }

    public async Task OverflowTo(string fromQueueId, string targetQueueId, OverflowMode mode)
    {
        if (Record.Current is not { State: InteractionState.Queued } current || current.QueueId != fromQueueId)
        {
            return;
        }

        var overflowedFrom = Record.OverflowedFrom.Add(fromQueueId);
        var target = GrainFactory.GetGrain<IQueueGrain>(targetQueueId);
        var result = overflowedFrom.Length > _options.MaxOverflowHops || overflowedFrom.Contains(targetQueueId)
            ? new EnqueueResult(EnqueueOutcome.Closed, 0, null, null, "overflow would loop")
            : await target.Enqueue(EntryFor(current, admitted: true, overflowedFrom));
        Record.OverflowedFrom = overflowedFrom;
        if (result.Outcome is not (EnqueueOutcome.Queued or EnqueueOutcome.Dispatched))
        {
            LogOverflowRefused(InteractionId, targetQueueId, result.Message);
            if (mode == OverflowMode.Instead)
            {
                // The source queue let go of it; it takes it back rather than losing it.
                await GrainFactory.GetGrain<IQueueGrain>(fromQueueId).Enqueue(EntryFor(current, admitted: true, overflowedFrom));
            }

            await PersistAsync([]);
            return;
        }

        InteractionEventRecord e;
        if (mode == OverflowMode.Instead)
        {
            Record.Current = current with { QueueId = targetQueueId };
            e = Append(RoutingEventType.Overflowed, InteractionState.Queued, InteractionState.Queued, targetQueueId, null, Actor.Engine, $"moved from queue '{fromQueueId}'");
        }
        else
        {
            Record.AlsoQueues = Record.AlsoQueues.Add(targetQueueId);
            e = Append(RoutingEventType.Overflowed, InteractionState.Queued, InteractionState.Queued, targetQueueId, null, Actor.Engine, $"also offered to queue '{targetQueueId}' agents, still waiting in '{fromQueueId}'");
        }

        await PersistAsync([e]);
    }

    /// <summary>Asks the queue, and its overflow targets in turn when it is full or closed, which one takes the interaction.</summary>
    private async Task<(EnqueueResult Result, string QueueId, ImmutableArray<string> OverflowedFrom)> AdmitFollowingOverflowAsync(string queueId, string channel)
    {
        var overflowedFrom = ImmutableArray<string>.Empty;
        for (var hop = 0; ; hop++)
        {
            var result = await GrainFactory.GetGrain<IQueueGrain>(queueId).CheckAdmission(channel, overflowedFrom);
            if (result.Outcome != EnqueueOutcome.Overflow)
            {
                return (result, queueId, overflowedFrom);
            }

            if (result.OverflowQueueId is not { } next || hop >= _options.MaxOverflowHops || overflowedFrom.Contains(next) || next == queueId)
            {
                return (new EnqueueResult(EnqueueOutcome.Full, 0, null, null, $"queue '{queueId}' is {result.Message} and its overflow leads nowhere new"), queueId, overflowedFrom);
            }

            overflowedFrom = overflowedFrom.Add(queueId);
            queueId = next;
        }
    }

    private async Task RemoveFromQueuesAsync(string queueId)
    {
        await GrainFactory.GetGrain<IQueueGrain>(queueId).Remove(InteractionId);
        foreach (var other in Record.AlsoQueues)
        {
            await GrainFactory.GetGrain<IQueueGrain>(other).Remove(InteractionId);
        }

        Record.AlsoQueues = [];
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await FlushEventLogAsync();
        if (Record.Current is not { } current || InteractionLifecycle.IsEnded(current.State))
        {
            if (Record.Current is not null && !Outbox.IsEmpty)
            {
                // Ended, but its last events still wait for the log: try again shortly.
                _reconcile?.ArmAt(_clock.GetUtcNow() + TimeSpan.FromSeconds(5));
                return;
            }

            _reconcile?.Stop();
            _reconcile = null;
            return;
        }

        switch (current.State)
        {
            case InteractionState.Queued:
                // Idempotent: a queue that still has it answers where it is; one that lost it takes it back.
                foreach (var queueId in Record.AlsoQueues.Add(current.QueueId))
                {
                    await GrainFactory.GetGrain<IQueueGrain>(queueId).Enqueue(EntryFor(current, admitted: true, Record.OverflowedFrom));
                }

                break;

            default:
                GrainFactory.GetGrain<IAgentGrain>(current.AgentId!).Reconcile(InteractionId).Ignore();
                if (current.ConsultAgentId is { } consulted)
                {
                    GrainFactory.GetGrain<IAgentGrain>(consulted).Reconcile(InteractionId).Ignore();
                }
                else if (current.ConsultQueueId is { } consultQueue)
                {
                    await GrainFactory.GetGrain<IQueueGrain>(consultQueue).Enqueue(ConsultEntry(current, consultQueue));
                }

                break;
        }

        _reconcile?.ArmAt(_clock.GetUtcNow() + _options.ReconcilePeriod);
    }

    /// <summary>Warm transfer to a queue: it waits there for another agent while staying connected with this one.</summary>
    private async Task<InteractionSnapshot> ConsultQueueAsync(string queueId, ImmutableDictionary<string, string> context, string? reason, Actor actor)
    {
        var current = Current;
        if (current.State != InteractionState.Connected)
        {
            throw RoutingException.Precondition("warm", $"'{InteractionId}' is {Name(current.State)}; a warm transfer starts from a connected interaction");
        }

        if (current.ConsultAgentId is not null || current.ConsultQueueId is not null)
        {
            throw RoutingException.Precondition("warm", $"'{InteractionId}' already has a warm transfer in progress");
        }

        var target = GrainFactory.GetGrain<IQueueGrain>(queueId);
        var admission = await target.CheckAdmission(current.Channel, []);
        if (admission.Outcome != EnqueueOutcome.Queued)
        {
            throw Refusal(admission.Outcome == EnqueueOutcome.Overflow ? admission with { Outcome = EnqueueOutcome.Full } : admission, queueId);
        }

        Record.Current = current with { ConsultQueueId = queueId, Context = current.Context.SetItems(context) };
        var e = Append(RoutingEventType.ConsultQueued, InteractionState.Connected, InteractionState.Connected, current.QueueId, current.AgentId, actor, reason ?? $"warm transfer to queue '{queueId}'; agent '{current.AgentId}' stays connected");
        await PersistAsync([e]);
        var result = await target.Enqueue(ConsultEntry(Current, queueId));
        RecordJourney();
        return Current with { EstimatedWait = result.EstimatedWait, QueuePosition = result.Position };
    }

    /// <summary>The queue entry of a warm transfer: a fresh wait, never offered back to the agent it leaves.</summary>
    private QueueEntry ConsultEntry(InteractionSnapshot current, string queueId) =>
        EntryFor(current, admitted: true, []) with
        {
            Arrival = current.History.LastOrDefault(h => h.Type == RoutingEventType.ConsultQueued)?.Time ?? _clock.GetUtcNow(),
            ExcludedAgents = current.ExcludedAgents.Add(current.AgentId!),
            PreferredAgentId = null,
        };

    private async Task<OfferGrant?> OfferConsultAsync(InteractionSnapshot current, string agentId, string queueId, DateTimeOffset offeredAt, bool autoAccept, Actor actor)
    {
        Record.PendingTransferAgentId = null;
        Record.PendingTransferWarm = false;
        Record.Current = current with { ConsultAgentId = agentId };
        var e = Append(RoutingEventType.ConsultOffered, InteractionState.Connected, InteractionState.Connected, current.QueueId, agentId, actor, $"warm transfer from agent '{current.AgentId}'" + (current.ConsultQueueId is { } q ? $" through queue '{q}'" : string.Empty) + $"; offered via '{queueId}'");
        await PersistAsync([e]);
        if (autoAccept)
        {
            await CompleteConsultAsync(Current, agentId, actor);
        }

        // To the consulted agent it is an offer, whoever is still on it.
        return new OfferGrant(Current with { History = [], State = autoAccept ? InteractionState.Connected : InteractionState.Offered, AgentId = agentId, OfferedAt = offeredAt }, Record.RecentJourney);
    }

    /// <summary>The consulted agent accepted: it takes over, and the first agent's capacity is released.</summary>
    private async Task<InteractionSnapshot> CompleteConsultAsync(InteractionSnapshot current, string agentId, Actor actor)
    {
        var previous = current.AgentId!;
        var now = _clock.GetUtcNow();
        Record.Current = current with { AgentId = agentId, ConnectedAt = now, OfferedAt = now, ConsultAgentId = null, ConsultQueueId = null };
        var e = Append(RoutingEventType.Transferred, InteractionState.Connected, InteractionState.Connected, Current.QueueId, agentId, actor, $"warm transfer from agent '{previous}' completed");
        await PersistAsync([e]);
        GrainFactory.GetGrain<IAgentGrain>(previous).Withdraw(InteractionId, "transferred").Ignore();
        RecordJourney();
        return Current;
    }

    /// <summary>The consulted agent rejected, timed out or left: the first agent keeps it; a queue consult looks again.</summary>
    private async Task<InteractionSnapshot> DeclineConsultAsync(InteractionSnapshot current, string agentId, ReturnReason reason, string? detail)
    {
        var excluded = reason is ReturnReason.Rejected or ReturnReason.TimedOut && !current.ExcludedAgents.Contains(agentId)
            ? current.ExcludedAgents.Add(agentId)
            : current.ExcludedAgents;
        Record.Current = current with { ConsultAgentId = null, ExcludedAgents = excluded };
        var e = Append(RoutingEventType.ConsultDeclined, InteractionState.Connected, InteractionState.Connected, current.QueueId, agentId, reason == ReturnReason.Rejected ? Actor.Agent(agentId) : Actor.Engine, detail ?? reason.ToString());
        await PersistAsync([e]);
        if (Current.ConsultQueueId is { } queueId)
        {
            await GrainFactory.GetGrain<IQueueGrain>(queueId).Enqueue(ConsultEntry(Current, queueId));
        }

        return Current;
    }

    private async Task CancelConsultAsync(InteractionSnapshot current)
    {
        if (current.ConsultAgentId is { } consulted)
        {
            GrainFactory.GetGrain<IAgentGrain>(consulted).Withdraw(InteractionId, "cancelled").Ignore();
        }

        if (current.ConsultQueueId is { } queueId)
        {
            await GrainFactory.GetGrain<IQueueGrain>(queueId).Remove(InteractionId);
        }

        Record.Current = current with { ConsultAgentId = null, ConsultQueueId = null };
    }

    private async Task<InteractionSnapshot> WithQueuePositionAsync(InteractionSnapshot current)
    {
        if (current.State != InteractionState.Queued)
        {
            return current;
        }

        var located = await GrainFactory.GetGrain<IQueueGrain>(current.QueueId).Locate(InteractionId);
        return located is null ? current : current with { EstimatedWait = located.EstimatedWait, QueuePosition = located.Position };
    }

    private QueueEntry EntryFor(InteractionSnapshot s, bool admitted, ImmutableArray<string> overflowedFrom) =>
        new(
            s.InteractionId,
            s.CustomerId,
            s.Channel,
            s.BasePriority,
            s.ArrivalAt,
            s.RequiredSkills,
            s.PreferredSkills,
            s.ExcludedAgents,
            s.PreferredAgentId,
            Record.PreferredAgentWait,
            admitted,
            overflowedFrom);

    private InteractionEventRecord Append(RoutingEventType type, InteractionState? from, InteractionState to, string? queueId, string? agentId, Actor actor, string? detail)
    {
        var e = new InteractionEventRecord(Record.NextSequence++, _clock.GetUtcNow(), type, from, to, queueId, agentId, actor, detail);
        var history = Current.History.Add(e);
        if (history.Length > _options.InteractionHistoryLimit)
        {
            history = history.RemoveRange(0, history.Length - _options.InteractionHistoryLimit);
        }

        Record.Current = Current with { History = history };
        Outbox.Add(RoutingEvent.ForInteraction(InteractionId, e));
        return e;
    }

    /// <summary>
    /// Stores the state — the commit point: a failure refuses the caller and nothing happened — then flushes the
    /// committed events to the event log through the <see cref="EventOutbox"/>, then tells watchers.
    /// </summary>
    private async Task PersistAsync(List<InteractionEventRecord> events)
    {
        await WriteDurablyAsync(_state);
        await FlushEventLogAsync();
        if (InteractionLifecycle.IsEnded(Current.State) && Outbox.IsEmpty)
        {
            // Finished and fully logged: nothing left for this activation to do. A later read reactivates it.
            _reconcile?.Stop();
            _reconcile = null;
            DeactivateOnIdle();
        }

        if (events.Count == 0)
        {
            return;
        }

        var now = _clock.GetUtcNow();
        foreach (var (watcher, lease) in _watchers.ToList())
        {
            if (lease < now)
            {
                _watchers.Remove(watcher);
                continue;
            }

            foreach (var e in events)
            {
                watcher.OnChanged(Current with { History = [] }, e).Ignore();
            }
        }
    }

    /// <summary>
    /// Appends the committed events the log does not have yet. A failure leaves them in the outbox for the next
    /// write or the reconcile timer: the change is stored already, so the caller is not refused for it.
    /// </summary>
    private async Task FlushEventLogAsync()
    {
        if (!await Outbox.FlushAsync())
        {
            _reconcile?.ArmAt(_clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Tells the queue (one-way) how the interaction it served is doing, for its statistics.</summary>
    private void Track(string queueId, InteractionState state, TimeSpan? waited = null, TimeSpan? handle = null) =>
        GrainFactory.GetGrain<IQueueGrain>(queueId).Track(new InteractionProgress(InteractionId, state, waited, handle, _clock.GetUtcNow())).Ignore();

    /// <summary>
    /// Tells the customer's grain (one-way) where this interaction stands. Each is a write there, so only what the
    /// journey shows is sent: arrival and transfers (forced), connection (the agent) and the end; an offer, wrap-up
    /// or return to the queue changes nothing the journey shows.
    /// </summary>
    private void RecordJourney(bool force = false)
    {
        var c = Current;
        if (!force && c.State is InteractionState.Offered or InteractionState.WrapUp or InteractionState.Queued)
        {
            return;
        }

        GrainFactory.GetGrain<ICustomerGrain>(c.CustomerId).RecordProgress(new JourneyEntryView(
            c.InteractionId, c.Channel, c.QueueId, c.AgentId, c.State, c.CreatedAt, c.ConnectedAt, c.EndedAt, c.Disposition, c.Context, c.JourneyId, c.EndReason)).Ignore();
    }

    private static RoutingException Refusal(EnqueueResult result, string queueId) => result.Outcome switch
    {
        EnqueueOutcome.Full => new RoutingException(RoutingErrorCode.ResourceExhausted, "queue_id", $"queue_id: {result.Message ?? $"queue '{queueId}' is full"}"),
        EnqueueOutcome.Closed => RoutingException.Precondition("queue_id", result.Message ?? $"queue '{queueId}' is closed"),
        EnqueueOutcome.ChannelNotAccepted => RoutingException.Invalid("channel", result.Message ?? $"queue '{queueId}' does not take this channel"),
        EnqueueOutcome.UnknownQueue => RoutingException.NotFound("queue_id", "queue", queueId),
        _ => RoutingException.Precondition("queue_id", result.Message ?? "refused"),
    };

    private static string Name(InteractionState state) => state.ToString().ToUpperInvariant() switch
    {
        "WRAPUP" => "WRAP_UP",
        var s => s,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interaction {InteractionId} could not overflow to {TargetQueueId}: {Reason}")]
    private partial void LogOverflowRefused(string interactionId, string targetQueueId, string? reason);
}
