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
public sealed class InteractionGrain : RoutingGrain, IInteractionGrain
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
    private InteractionRecorder? _recorder;
    private OverflowAdmission? _admission;
    private InteractionProgressReporter? _progress;
    private ConsultCoordinator? _consult;
    private QueuePlaces? _places;
    private BlindTransfer? _transfer;
    private InteractionReconciler? _reconciler;
    private OverflowMove? _overflow;
    private QueueShardBook? _shards;

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

    // The collaborators, made on first use (they need the grain's key and factory, set at activation).
    private EventOutbox Outbox => _outbox ??= new EventOutbox(_eventLog, () => _state.State.UnloggedEvents, _logger, $"Interaction {InteractionId}");

    private InteractionRecorder Recorder => _recorder ??= new InteractionRecorder(
        () => _state.State, () => WriteDurablyAsync(_state), Outbox, _watchers, _clock, _options.InteractionHistoryLimit, Stored);

    private QueueShardBook Shards => _shards ??= new QueueShardBook(InteractionId, () => _state.State, key => GrainFactory.Queue(key));

    private OverflowAdmission Admission => _admission ??= new OverflowAdmission(Shards.Whole, _options.MaxOverflowHops, Shards);

    private InteractionProgressReporter Progress => _progress ??= new InteractionProgressReporter(InteractionId, _clock, Queue, id => GrainFactory.Customer(id));

    private ConsultCoordinator Consult => _consult ??= new ConsultCoordinator(InteractionId, _clock, Queue, Agent, Recorder, Admission, Progress);

    private QueuePlaces Places => _places ??= new QueuePlaces(InteractionId, () => _state.State, Queue);

    private BlindTransfer Transfer => _transfer ??= new BlindTransfer(InteractionId, _clock, Queue, Agent, Recorder, Admission, Places, Progress);

    private OverflowMove Overflow => _overflow ??= new OverflowMove(InteractionId, Queue, Recorder, Admission, _logger, Shards);

    private InteractionReconciler Reconciler => _reconciler ??= new InteractionReconciler(InteractionId, Recorder, Outbox, Places, Consult, Agent, _clock, _options.ReconcilePeriod);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An unfinished interaction keeps itself active and checks, now and then, that its queue or agent agrees.
        _reconcile = new DeadlineTimer(this, _clock, ReconcileAsync, keepAlive: true, ServiceProvider.GetRequiredService<ArmedTimers>());
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

        var customer = await GrainFactory.Customer(command.CustomerId).GetRouteContext(command.Channel);
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
        await Recorder.ApplyAsync(interaction, decision, command.Actor);

        var result = await Shards.EnqueueAsync(queueId, EntryFor(Current, overflowedFrom) with { NewArrival = true });
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
        var (interaction, decision) = Recorder.Decide(i => i.Cancel(reason, now));
        if (decision.Changes.IsEmpty)
        {
            return current;
        }

        if (current.State == InteractionState.Queued)
        {
            await Places.LeaveAllAsync(current.QueueId);
        }
        else
        {
            Agent(current.AgentId!).Withdraw(InteractionId, "cancelled").Ignore();
        }

        Record.PendingTransferAgentId = null;
        await Recorder.ApplyAsync(interaction, decision, actor);
        Progress.Track(current.QueueId, InteractionState.Abandoned, waited: now - current.ArrivalAt);
        RoutingMetrics.InteractionAbandoned(current.QueueId, current.Channel);
        Progress.RecordJourney(Current);
        return Current;
    }

    public async Task<InteractionSnapshot> TransferToQueue(string queueId, ImmutableDictionary<string, string> context, string? reason, Actor actor, bool warm)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(actor);
        return warm ? await Consult.ToQueueAsync(queueId, context, reason, actor) : await Transfer.ToQueueAsync(queueId, context, reason, actor);
    }

    public async Task<QueueEntry> PrepareTransferToAgent(string agentId, ImmutableDictionary<string, string> context, Actor actor, bool warm)
    {
        ArgumentNullException.ThrowIfNull(context);
        var current = Current;
        Recorder.Decide(i => i.CheckTransferToAgent(agentId, warm));
        Record.PendingTransferAgentId = agentId;
        Record.PendingTransferWarm = warm;
        if (context.Count > 0)
        {
            Record.Current = current with { Context = current.Context.SetItems(context) };
        }

        await Recorder.StoreAsync([]);
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
            return await Consult.OfferAsync(interaction, agentId, queueId, offeredAt, autoAccept, actor);
        }

        // Taken elsewhere, moved or cancelled meanwhile (a refusal): the agent's reservation must be undone.
        var transfer = Record.PendingTransferAgentId == agentId;
        var decision = transfer
            ? interaction.TransferToAgent(agentId, queueId, offeredAt, autoAccept)
            : interaction.Offer(agentId, queueId, offeredAt, expiresAt, Places.WaitsIn(current, queueId), autoAccept);
        if (decision.IsRefused)
        {
            return null;
        }

        if (!transfer)
        {
            await Places.LeaveOthersAsync(current, queueId);
        }
        else if (current.State == InteractionState.Queued)
        {
            await Places.LeaveAllAsync(current.QueueId);
        }
        else
        {
            Agent(current.AgentId!).Withdraw(InteractionId, "transferred").Ignore();
        }

        Record.AlsoQueues = [];
        Record.PendingTransferAgentId = null;
        await Recorder.ApplyAsync(interaction, decision, actor);
        Progress.Track(queueId, Current.State);
        Progress.RecordJourney(Current);
        return new OfferGrant(Current with { History = [] }, Record.RecentJourney);
    }

    public async Task<InteractionSnapshot> MarkConnected(string agentId)
    {
        var current = Current;
        if (current.State == InteractionState.Connected && current.ConsultAgentId == agentId)
        {
            return await Consult.CompleteAsync(agentId, Actor.Agent(agentId));
        }

        var now = _clock.GetUtcNow();
        var (interaction, decision) = Recorder.Decide(i => i.Connect(agentId, now));
        await Recorder.ApplyAsync(interaction, decision, Actor.Agent(agentId));
        Progress.Track(current.QueueId, InteractionState.Connected, waited: now - current.ArrivalAt);
        Progress.RecordJourney(Current);
        return Current;
    }

    public async Task<InteractionSnapshot> MarkReturned(string agentId, ReturnReason reason, string? detail)
    {
        var current = Current;
        if (current.ConsultAgentId == agentId)
        {
            return await Consult.DeclineAsync(agentId, reason, detail);
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

        await Recorder.ApplyAsync(interaction, decision, actor);
        Progress.Track(current.QueueId, InteractionState.Queued);

        // Back in line with its original arrival time; a closed or full queue still takes it back.
        var result = await Shards.EnqueueAsync(current.QueueId, EntryFor(Current, Record.OverflowedFrom));
        Progress.RecordJourney(Current);
        return Current with { EstimatedWait = result.EstimatedWait, QueuePosition = result.Position };
    }

    public async Task<InteractionSnapshot> MarkWrapUp(string agentId, string? disposition)
    {
        var current = Current;
        var (interaction, decision) = Recorder.Decide(i => i.WrapUp(agentId, _clock.GetUtcNow(), disposition));
        await Consult.CallOffAsync(current);
        await Recorder.ApplyAsync(interaction, decision, Actor.Agent(agentId));
        Progress.Track(current.QueueId, InteractionState.WrapUp);
        Progress.RecordJourney(Current);
        return Current;
    }

    public async Task<InteractionSnapshot> MarkCompleted(string agentId, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = Current;
        var now = _clock.GetUtcNow();
        var (interaction, decision) = Recorder.Decide(i => i.Complete(agentId, now));
        await Recorder.ApplyAsync(interaction, decision, actor);
        Progress.Track(current.QueueId, InteractionState.Completed, handle: current.ConnectedAt is { } connected ? now - connected : null);
        Progress.RecordJourney(Current);
        return Current;
    }

    public async Task<InteractionSnapshot> SetPriority(int priority, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = Current;
        var (interaction, decision) = Recorder.Decide(i => i.SetPriority(priority));
        await Recorder.ApplyAsync(interaction, decision, actor);
        if (current.State == InteractionState.Queued)
        {
            await Places.ReprioritizeAsync(current, priority);
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
        var (interaction, decision) = Recorder.Decide(i => i.NoteFromQueue(note.Type, detail));
        await Recorder.ApplyAsync(interaction, decision, Actor.Engine);
    }

    public async Task Reconcile(string agentId)
    {
        if (Record.Current is { } consulted && consulted.ConsultAgentId == agentId)
        {
            await Consult.DeclineAsync(agentId, ReturnReason.Reconciled, "the consulted agent no longer held the offer");
        }
        else if (Record.Current is { State: InteractionState.Offered } offered && offered.AgentId == agentId)
        {
            await MarkReturned(agentId, ReturnReason.Reconciled, "the agent no longer held the offer");
        }
        else if (Record.Current is { State: InteractionState.Connected or InteractionState.WrapUp } handled && handled.AgentId == agentId)
        {
            // The agent finished it, but a failure lost the last transitions: close it as the agent left it.
            var (interaction, decision) = Recorder.Decide(i => i.CloseReconciled(agentId, _clock.GetUtcNow()));
            await Recorder.ApplyAsync(interaction, decision, Actor.Engine);
            Progress.RecordJourney(Current);
        }
    }

    public async Task Rejoin(string queueId)
    {
        if (Record.Current is { State: InteractionState.Queued } current && Places.WaitsIn(current, queueId))
        {
            await Shards.EnqueueAsync(queueId, EntryFor(current, Record.OverflowedFrom));
        }
    }

    public async Task<string?> ForgetPersonalData(ContextErasure erasure)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        var customerId = Record.Current?.CustomerId;
        if (InteractionForgetting.Apply(Record, erasure))
        {
            await Recorder.StoreAsync([]);
        }

        return customerId;
    }

    public Task OverflowTo(string fromQueueId, string targetQueueId, OverflowMode mode) =>
        Overflow.OverflowAsync(fromQueueId, targetQueueId, mode);

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (await Reconciler.CheckAsync() is { } next)
        {
            _reconcile?.ArmAt(next);
            return;
        }

        _reconcile?.Stop();
        _reconcile = null;
    }

    /// <summary>
    /// After every store: events the log refused are retried shortly; a finished, fully logged interaction lets its
    /// activation go (a later read reactivates it).
    /// </summary>
    private void Stored(bool logged)
    {
        if (!logged)
        {
            _reconcile?.ArmAt(_clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        }

        if (Record.Current is { } current && InteractionLifecycle.IsEnded(current.State) && Outbox.IsEmpty)
        {
            _reconcile?.Stop();
            _reconcile = null;
            DeactivateOnIdle();
        }
    }

    private async Task FlushEventLogAsync()
    {
        if (!await Outbox.FlushAsync())
        {
            _reconcile?.ArmAt(_clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        }
    }

    private async Task<InteractionSnapshot> WithQueuePositionAsync(InteractionSnapshot current)
    {
        var located = current.State == InteractionState.Queued ? await Shards.LocateAsync(current) : null;
        return located is null ? current : current with { EstimatedWait = located.EstimatedWait, QueuePosition = located.Position };
    }

    private QueueEntry EntryFor(InteractionSnapshot s, ImmutableArray<string> overflowedFrom) =>
        InteractionQueueEntries.For(s, Record.PreferredAgentWait, overflowedFrom);

    /// <summary>The interaction's own shard of a queue (the queue itself when it is not sharded).</summary>
    private IQueueGrain Queue(string queueId) => Shards.Own(queueId);

    private IAgentGrain Agent(string agentId) => GrainFactory.Agent(agentId);
}
