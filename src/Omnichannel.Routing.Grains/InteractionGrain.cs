using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Interactions;
using Orleans.Utilities;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// One interaction: its state, context and history, and the only place its state changes. Every change is decided
/// by the Core <see cref="Interaction"/> aggregate; the grain loads it, applies it, stores it with its events
/// (<see cref="EventOutbox"/>) and tells the queue, agents, customer and watchers. It awaits queues and the customer
/// (which await nothing back) and reaches agents one-way.
/// </summary>
public sealed partial class InteractionGrain : RoutingGrain, IInteractionGrain
{
    private static readonly TimeSpan WatcherLease = TimeSpan.FromMinutes(5);

    private readonly IPersistentState<InteractionRecord> _state;
    private readonly TimeProvider _clock;
    private readonly RoutingOptions _options;
    private readonly IRoutingEventLog _eventLog;
    private readonly ILogger<InteractionGrain> _logger;
    private readonly ObserverManager<IInteractionObserver> _watchers;
    private DeadlineTimer? _reconcile;
    private EventOutbox? _outbox;
    private OverflowAdmission? _admission;
    private InteractionProgressReporter? _progress;
    private ConsultCoordinator? _consult;
    private InteractionRecorder? _recorder;

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
        _watchers = new ObserverManager<IInteractionObserver>(WatcherLease, logger) { GetDateTime = () => clock.GetUtcNow().UtcDateTime };
    }

    private string InteractionId => this.GetPrimaryKeyString();

    private InteractionRecord Record => _state.State;

    private InteractionSnapshot Current => Record.Current ?? throw RoutingException.NotFound("interaction_id", "interaction", InteractionId);

    private EventOutbox Outbox => _outbox ??= new EventOutbox(_eventLog, () => _state.State.UnloggedEvents, _logger, $"Interaction {InteractionId}");

    private OverflowAdmission Admission => _admission ??= new OverflowAdmission(Queue, _options.MaxOverflowHops);

    private InteractionProgressReporter Progress => _progress ??= new InteractionProgressReporter(InteractionId, _clock, Queue, id => GrainFactory.GetGrain<ICustomerGrain>(id));

    private ConsultCoordinator Consult => _consult ??= new ConsultCoordinator(InteractionId, _clock, Queue, Agent);

    private InteractionRecorder Recorder => _recorder ??= new InteractionRecorder(() => _state.State, () => WriteDurablyAsync(_state), Outbox, _watchers, _clock, _options.InteractionHistoryLimit);

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

    public async Task<RouteOutcome> Route(RouteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Record.Current is { } existing)
        {
            // Idempotent on request_id (the id is derived from it): the first outcome, replayed.
            return new RouteOutcome(await WithQueuePositionAsync(existing), Replayed: true);
        }

        // Admission first (full, closed, overflow), so a refusal leaves nothing behind: not even an event.
        var (admission, queueId, overflowedFrom) = await Admission.AdmitAsync(command.QueueId, command.Channel);
        if (admission.Outcome != EnqueueOutcome.Queued)
        {
            throw OverflowAdmission.Refusal(admission, queueId);
        }

        var customer = await GrainFactory.GetGrain<ICustomerGrain>(command.CustomerId).GetRouteContext(command.Channel);
        var preferred = command.PreferredAgentId
            ?? (command.PreferLastAgent ? customer.LastAgentId : null)
            ?? (admission.PreferActiveAgent ? customer.ActiveAgentId : null);
        var now = _clock.GetUtcNow();
        var detail = preferred is null ? null : $"preferred agent '{preferred}'" + (command.PreferredAgentId is null ? " (customer's previous agent)" : string.Empty);
        var (interaction, decision) = Interaction.Route(InteractionId, command.QueueId, queueId, command.Priority, now, detail, admission.Message);
        Record.Current = new InteractionSnapshot(
            InteractionId, command.RequestId, command.CustomerId, command.Channel, queueId, InteractionState.Queued, command.Priority,
            command.RequiredSkills, command.PreferredSkills, customer.InheritedContext.SetItems(command.Context), AgentId: null, preferred,
            CreatedAt: now, ArrivalAt: now, OfferedAt: null, ConnectedAt: null, WrapUpAt: null, EndedAt: null, EstimatedWait: null,
            QueuePosition: 0, Disposition: null, customer.JourneyId, ExcludedAgents: [], EndReason: null, History: []);
        Record.PreferredAgentWait = preferred is null ? TimeSpan.Zero : command.PreferredAgentWait;
        Record.RecentJourney = customer.RecentJourney;
        Record.OverflowedFrom = overflowedFrom;

        // Acknowledged means recorded: the events and the state are stored before any queue can offer it.
        await PersistAsync(Commit(interaction, decision, command.Actor));

        var result = await Queue(queueId).Enqueue(EntryFor(Current, overflowedFrom) with { NewArrival = true });
        _reconcile?.ArmAt(_clock.GetUtcNow() + _options.ReconcilePeriod);
        Progress.RecordJourney(Current, force: true);
        return new RouteOutcome(Current with { EstimatedWait = result.EstimatedWait, QueuePosition = result.Position }, Replayed: false);
    }

    public async Task<InteractionSnapshot?> GetSnapshot() =>
        Record.Current is { } current ? await WithQueuePositionAsync(current) : null;

    public async Task<InteractionSnapshot> Cancel(string? reason, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = Current;
        var now = _clock.GetUtcNow();
        var (interaction, decision) = Decide(i => i.Cancel(reason, now));
        if (decision.Changes.IsEmpty)
        {
            return current;
        }

        if (current.State == InteractionState.Queued)
        {
            await RemoveFromQueuesAsync(current.QueueId);
        }
        else
        {
            Agent(current.AgentId!).Withdraw(InteractionId, "cancelled").Ignore();
        }

        Record.PendingTransferAgentId = null;
        await PersistAsync(Commit(interaction, decision, actor));
        Progress.Track(current.QueueId, InteractionState.Abandoned, waited: now - current.ArrivalAt);
        RoutingMetrics.InteractionAbandoned(current.QueueId, current.Channel);
        Progress.RecordJourney(Current);
        return Current;
    }

    public async Task<InteractionSnapshot> TransferToQueue(string queueId, ImmutableDictionary<string, string> context, string? reason, Actor actor, bool warm)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(actor);
        var current = Current;
        var (interaction, decision) = warm
            ? Decide(i => i.ConsultQueue(queueId, reason))
            : Decide(i => i.TransferToQueue(queueId, reason, _clock.GetUtcNow()));

        // The target is asked first, so a refusal there changes nothing here.
        await (warm ? Admission.EnsureAdmitsAsync(queueId, current.Channel) : Admission.EnsureTransferTargetAsync(queueId, current.Channel));
        var previousQueues = Record.AlsoQueues.Add(current.QueueId);
        if (!warm)
        {
            Record.AlsoQueues = [];
            Record.OverflowedFrom = [];
            Record.PendingTransferAgentId = null;
        }

        var events = Commit(interaction, decision, actor);
        Record.Current = Current with { Context = current.Context.SetItems(context) };
        await PersistAsync(events);

        EnqueueResult result;
        if (warm)
        {
            // It waits there for another agent while staying connected with this one.
            result = await Consult.WaitInQueueAsync(Current, queueId, Record.PreferredAgentWait);
            Progress.RecordJourney(Current);
            return Current with { EstimatedWait = result.EstimatedWait, QueuePosition = result.Position };
        }

        if (current.State == InteractionState.Queued)
        {
            foreach (var previous in previousQueues)
            {
                await Queue(previous).Remove(InteractionId);
            }
        }
        else
        {
            Agent(current.AgentId!).Withdraw(InteractionId, "transferred").Ignore();
            Progress.Track(current.QueueId, InteractionState.Queued);
        }

        result = await Queue(queueId).Enqueue(EntryFor(Current, []));
        Progress.RecordJourney(Current, force: true);
        return Current with { EstimatedWait = result.EstimatedWait, QueuePosition = result.Position };
    }

    public async Task<QueueEntry> PrepareTransferToAgent(string agentId, ImmutableDictionary<string, string> context, Actor actor, bool warm)
    {
        ArgumentNullException.ThrowIfNull(context);
        var current = Current;
        Decide(i => i.CheckTransferToAgent(agentId, warm));
        Record.PendingTransferAgentId = agentId;
        Record.PendingTransferWarm = warm;
        if (context.Count > 0)
        {
            Record.Current = current with { Context = current.Context.SetItems(context) };
        }

        await PersistAsync([]);
        return EntryFor(Current, []) with { ExcludedAgents = [] };
    }

    public async Task<OfferGrant?> MarkOffered(string agentId, string queueId, DateTimeOffset offeredAt, DateTimeOffset expiresAt, bool autoAccept, Actor actor)
    {
        if (Record.Current is not { } current || InteractionLifecycle.IsEnded(current.State))
        {
            return null;
        }

        var interaction = new Interaction(current.ToStatus());
        if (interaction.AwaitsConsult(agentId, queueId, Record.PendingTransferAgentId, Record.PendingTransferWarm))
        {
            return await OfferConsultAsync(interaction, agentId, queueId, offeredAt, autoAccept, actor);
        }

        // Taken elsewhere, moved or cancelled meanwhile (a refusal): the agent's reservation must be undone.
        var transfer = Record.PendingTransferAgentId == agentId;
        var decision = transfer
            ? interaction.TransferToAgent(agentId, queueId, offeredAt, autoAccept)
            : interaction.Offer(agentId, queueId, offeredAt, expiresAt, current.QueueId == queueId || Record.AlsoQueues.Contains(queueId), autoAccept);
        if (decision.IsRefused)
        {
            return null;
        }

        if (transfer && current.State != InteractionState.Queued)
        {
            Agent(current.AgentId!).Withdraw(InteractionId, "transferred").Ignore();
        }
        else
        {
            foreach (var other in Record.AlsoQueues.Add(current.QueueId).Where(q => transfer || q != queueId))
            {
                await Queue(other).Remove(InteractionId);
            }
        }

        Record.AlsoQueues = [];
        Record.PendingTransferAgentId = null;
        await PersistAsync(Commit(interaction, decision, actor));
        Progress.Track(queueId, Current.State);
        Progress.RecordJourney(Current);
        return new OfferGrant(Current with { History = [] }, Record.RecentJourney);
    }

    public async Task<InteractionSnapshot> MarkConnected(string agentId)
    {
        var current = Current;
        if (current.State == InteractionState.Connected && current.ConsultAgentId == agentId)
        {
            return await CompleteConsultAsync(agentId, Actor.Agent(agentId));
        }

        var now = _clock.GetUtcNow();
        var (interaction, decision) = Decide(i => i.Connect(agentId, now));
        await PersistAsync(Commit(interaction, decision, Actor.Agent(agentId)));
        Progress.Track(current.QueueId, InteractionState.Connected, waited: now - current.ArrivalAt);
        Progress.RecordJourney(Current);
        return Current;
    }

    public async Task<InteractionSnapshot> MarkReturned(string agentId, ReturnReason reason, string? detail)
    {
        var current = Current;
        if (current.ConsultAgentId == agentId)
        {
            return await DeclineConsultAsync(agentId, reason, detail);
        }

        var (why, actor) = reason switch
        {
            ReturnReason.Rejected => (RoutingEventType.Rejected, Actor.Agent(agentId)),
            ReturnReason.TimedOut => (RoutingEventType.OfferTimedOut, Actor.Engine),
            ReturnReason.SignedOut => (RoutingEventType.ReturnedOnSignOut, Actor.Agent(agentId)),
            ReturnReason.StreamLost => (RoutingEventType.ReturnedOnStreamLost, Actor.Engine),
            _ => (RoutingEventType.Requeued, Actor.Engine),
        };
        var interaction = new Interaction(current.ToStatus());
        var decision = interaction.ReturnToQueue(agentId, why, detail);
        if (decision.IsRefused)
        {
            return current;
        }

        await PersistAsync(Commit(interaction, decision, actor));
        Progress.Track(current.QueueId, InteractionState.Queued);

        // Back in line with its original arrival time; a closed or full queue still takes it back.
        var result = await Queue(current.QueueId).Enqueue(EntryFor(Current, Record.OverflowedFrom));
        Progress.RecordJourney(Current);
        return Current with { EstimatedWait = result.EstimatedWait, QueuePosition = result.Position };
    }

    public async Task<InteractionSnapshot> MarkWrapUp(string agentId, string? disposition)
    {
        var current = Current;
        var (interaction, decision) = Decide(i => i.WrapUp(agentId, _clock.GetUtcNow(), disposition));
        if (current.ConsultAgentId is not null || current.ConsultQueueId is not null)
        {
            // The first agent finished before anyone took the warm transfer: it is called off.
            await Consult.CallOffAsync(current);
        }

        await PersistAsync(Commit(interaction, decision, Actor.Agent(agentId)));
        Progress.Track(current.QueueId, InteractionState.WrapUp);
        Progress.RecordJourney(Current);
        return Current;
    }

    public async Task<InteractionSnapshot> MarkCompleted(string agentId, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = Current;
        var now = _clock.GetUtcNow();
        var (interaction, decision) = Decide(i => i.Complete(agentId, now));
        await PersistAsync(Commit(interaction, decision, actor));
        Progress.Track(current.QueueId, InteractionState.Completed, handle: current.ConnectedAt is { } connected ? now - connected : null);
        Progress.RecordJourney(Current);
        return Current;
    }

    public async Task<InteractionSnapshot> SetPriority(int priority, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = Current;
        var (interaction, decision) = Decide(i => i.SetPriority(priority));
        await PersistAsync(Commit(interaction, decision, actor));
        if (current.State == InteractionState.Queued)
        {
            foreach (var queueId in Record.AlsoQueues.Add(current.QueueId))
            {
                await Queue(queueId).Reprioritize(InteractionId, priority);
            }
        }

        return await WithQueuePositionAsync(Current);
    }

    public Task Subscribe(IInteractionObserver observer)
    {
        _watchers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IInteractionObserver observer)
    {
        _watchers.Unsubscribe(observer);
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
        var (interaction, decision) = Decide(i => i.NoteFromQueue(note.Type, detail));
        await PersistAsync(Commit(interaction, decision, Actor.Engine));
    }

    public async Task Reconcile(string agentId)
    {
        if (Record.Current is { } consulted && consulted.ConsultAgentId == agentId)
        {
            await DeclineConsultAsync(agentId, ReturnReason.Reconciled, "the consulted agent no longer held the offer");
            return;
        }

        if (Record.Current is not { } current || current.AgentId != agentId)
        {
            return;
        }

        if (current.State == InteractionState.Offered)
        {
            await MarkReturned(agentId, ReturnReason.Reconciled, "the agent no longer held the offer");
        }
        else if (current.State is InteractionState.Connected or InteractionState.WrapUp)
        {
            // The agent finished it, but a failure lost the last transitions: close it as the agent left it.
            var (interaction, decision) = Decide(i => i.CloseReconciled(agentId, _clock.GetUtcNow()));
            await PersistAsync(Commit(interaction, decision, Actor.Engine));
            Progress.RecordJourney(Current);
        }
    }

    public async Task Rejoin(string queueId)
    {
        if (Record.Current is { State: InteractionState.Queued } current && (current.QueueId == queueId || Record.AlsoQueues.Contains(queueId)))
        {
            await Queue(queueId).Enqueue(EntryFor(current, Record.OverflowedFrom));
        }
    }

    public async Task OverflowTo(string fromQueueId, string targetQueueId, OverflowMode mode)
    {
        if (Record.Current is not { State: InteractionState.Queued } current || current.QueueId != fromQueueId)
        {
            return;
        }

        var overflowedFrom = Record.OverflowedFrom.Add(fromQueueId);
        var result = Admission.WouldLoop(overflowedFrom, targetQueueId)
            ? new EnqueueResult(EnqueueOutcome.Closed, 0, null, null, "overflow would loop")
            : await Queue(targetQueueId).Enqueue(EntryFor(current, overflowedFrom));
        Record.OverflowedFrom = overflowedFrom;
        if (result.Outcome is not (EnqueueOutcome.Queued or EnqueueOutcome.Dispatched))
        {
            LogOverflowRefused(InteractionId, targetQueueId, result.Message);
            if (mode == OverflowMode.Instead)
            {
                // The source queue let go of it; it takes it back rather than losing it.
                await Queue(fromQueueId).Enqueue(EntryFor(current, overflowedFrom));
            }

            await PersistAsync([]);
            return;
        }

        var (interaction, decision) = mode == OverflowMode.Instead
            ? Decide(i => i.OverflowInstead(fromQueueId, targetQueueId))
            : Decide(i => i.OverflowAlso(fromQueueId, targetQueueId));
        if (mode != OverflowMode.Instead)
        {
            Record.AlsoQueues = Record.AlsoQueues.Add(targetQueueId);
        }

        await PersistAsync(Commit(interaction, decision, Actor.Engine));
    }

    private async Task<OfferGrant?> OfferConsultAsync(Interaction interaction, string agentId, string queueId, DateTimeOffset offeredAt, bool autoAccept, Actor actor)
    {
        Record.PendingTransferAgentId = null;
        Record.PendingTransferWarm = false;
        await PersistAsync(Commit(interaction, interaction.OfferConsult(agentId, queueId), actor));
        if (autoAccept)
        {
            await CompleteConsultAsync(agentId, actor);
        }

        // To the consulted agent it is an offer, whoever is still on it.
        return new OfferGrant(Current with { History = [], State = autoAccept ? InteractionState.Connected : InteractionState.Offered, AgentId = agentId, OfferedAt = offeredAt }, Record.RecentJourney);
    }

    /// <summary>The consulted agent accepted: it takes over, and the first agent's capacity is released.</summary>
    private async Task<InteractionSnapshot> CompleteConsultAsync(string agentId, Actor actor)
    {
        var previous = Current.AgentId!;
        var (interaction, decision) = Decide(i => i.CompleteConsult(agentId, _clock.GetUtcNow()));
        await PersistAsync(Commit(interaction, decision, actor));
        Consult.HandOver(previous);
        Progress.RecordJourney(Current);
        return Current;
    }

    /// <summary>The consulted agent rejected, timed out or left: the first agent keeps it; a queue consult looks again.</summary>
    private async Task<InteractionSnapshot> DeclineConsultAsync(string agentId, ReturnReason reason, string? detail)
    {
        var exclude = reason is ReturnReason.Rejected or ReturnReason.TimedOut;
        var (interaction, decision) = Decide(i => i.DeclineConsult(agentId, exclude, detail ?? reason.ToString()));
        await PersistAsync(Commit(interaction, decision, reason == ReturnReason.Rejected ? Actor.Agent(agentId) : Actor.Engine));
        if (Current.ConsultQueueId is { } queueId)
        {
            await Consult.WaitInQueueAsync(Current, queueId, Record.PreferredAgentWait);
        }

        return Current;
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

        if (current.State == InteractionState.Queued)
        {
            // Idempotent: a queue that still has it answers where it is; one that lost it takes it back.
            foreach (var queueId in Record.AlsoQueues.Add(current.QueueId))
            {
                await Queue(queueId).Enqueue(EntryFor(current, Record.OverflowedFrom));
            }
        }
        else
        {
            Agent(current.AgentId!).Reconcile(InteractionId).Ignore();
            await Consult.ResumeAsync(current, Record.PreferredAgentWait);
        }

        _reconcile?.ArmAt(_clock.GetUtcNow() + _options.ReconcilePeriod);
    }

    /// <summary>Applies one decision of the aggregate to a copy; a refusal is FAILED_PRECONDITION and changes nothing.</summary>
    private (Interaction Interaction, InteractionDecision Decision) Decide(Func<Interaction, InteractionDecision> change)
    {
        var interaction = new Interaction(Current.ToStatus());
        var decision = change(interaction);
        return decision.Refusal is { } refusal ? throw RoutingException.Precondition(refusal.Field, refusal.Reason) : (interaction, decision);
    }

    /// <summary>Takes the aggregate's new status into the snapshot and records its changes, each with who caused it.</summary>
    private List<InteractionEventRecord> Commit(Interaction interaction, InteractionDecision decision, Actor actor)
    {
        Record.Current = Current.With(interaction.Status);
        return [.. decision.Changes.Select(change => Recorder.Append(change, actor))];
    }

    /// <summary>
    /// Stores the state with its events (the commit point: a failure refuses the caller and nothing happened), then
    /// flushes them to the log and tells watchers. A finished, fully logged interaction lets its activation go.
    /// </summary>
    private async Task PersistAsync(List<InteractionEventRecord> events)
    {
        if (!await Recorder.StoreAsync(events))
        {
            _reconcile?.ArmAt(_clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        }

        if (InteractionLifecycle.IsEnded(Current.State) && Outbox.IsEmpty)
        {
            // Nothing left for this activation to do. A later read reactivates it.
            _reconcile?.Stop();
            _reconcile = null;
            DeactivateOnIdle();
        }
    }

    /// <summary>Events committed but not yet logged; a failure leaves them for the reconcile timer.</summary>
    private async Task FlushEventLogAsync()
    {
        if (!await Outbox.FlushAsync())
        {
            _reconcile?.ArmAt(_clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        }
    }

    private async Task RemoveFromQueuesAsync(string queueId)
    {
        foreach (var queue in Record.AlsoQueues.Insert(0, queueId))
        {
            await Queue(queue).Remove(InteractionId);
        }

        Record.AlsoQueues = [];
    }

    private async Task<InteractionSnapshot> WithQueuePositionAsync(InteractionSnapshot current)
    {
        var located = current.State == InteractionState.Queued ? await Queue(current.QueueId).Locate(InteractionId) : null;
        return located is null ? current : current with { EstimatedWait = located.EstimatedWait, QueuePosition = located.Position };
    }

    private QueueEntry EntryFor(InteractionSnapshot s, ImmutableArray<string> overflowedFrom) =>
        InteractionQueueEntries.For(s, Record.PreferredAgentWait, overflowedFrom);

    private IQueueGrain Queue(string queueId) => GrainFactory.GetGrain<IQueueGrain>(queueId);

    private IAgentGrain Agent(string agentId) => GrainFactory.GetGrain<IAgentGrain>(agentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interaction {InteractionId} could not overflow to {TargetQueueId}: {Reason}")]
    private partial void LogOverflowRefused(string interactionId, string targetQueueId, string? reason);
}
