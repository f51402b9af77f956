using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Agents;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// One agent: definition, presence, workload and offers. It is the single authority on the agent's capacity: every
/// offer is a reservation made here, through <see cref="AgentWorkload"/>, whichever queue proposed it.
/// </summary>
/// <remarks>
/// The grain owns the state and the turn: each call changes the state, stores it, then tells interactions, queues
/// and desktops, in that order. The grain keeps definition, presence, desktops and the one timer; the work is done
/// by plain collaborators in <c>Agents/</c>: <see cref="WorkDesk"/> (the workload, offers and hold, and the order of
/// steps to take, accept, reject, complete, time out, withdraw and reconcile them), <see cref="AgentRecorder"/> (the
/// one path to record events and store), <see cref="OfferStreamTracker"/> (desktops and their leases), <see cref="OfferViewBook"/> (offers as shown),
/// <see cref="QueueMembership"/> (the agent's queues and what each has seen), <see cref="ReconcileSchedule"/> and
/// <see cref="Reconciliation"/>, <see cref="AgentOccupancy"/>, <see cref="AgentViews"/>, <see cref="TransferOffer"/>
/// and <see cref="Deadlines"/>; presence and hold rules live on <see cref="AgentRecord"/>.
/// <para>
/// Call graph: this grain awaits queues, interactions and the catalog; none of them ever awaits an agent (they reach
/// it one-way), so the graph has no cycle and a non-reentrant agent cannot deadlock.
/// </para>
/// </remarks>
public sealed partial class AgentGrain : RoutingGrain, IAgentGrain
{
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(100);

    private readonly IPersistentState<AgentRecord> _state;
    private readonly TimeProvider _clock;
    private readonly IRoutingEventLog _eventLog;
    private readonly ILogger<AgentGrain> _logger;
    private readonly OfferStreamTracker _streams;
    private readonly ReconcileSchedule _reconcile;
    private readonly QueueMembership _queues;
    private SkillSet _skills = SkillSet.None;
    private ThrottledFeed? _occupancyFeed;
    private EventOutbox? _outbox;
    private AgentRecorder? _recorder;
    private WorkDesk? _desk;
    private OfferLeaseSweep? _leaseSweep;
    private DeadlineTimer? _timer;

    public AgentGrain(
        [PersistentState("agent", RoutingOptions.StorageName)] IPersistentState<AgentRecord> state,
        [FromKeyedServices(RoutingOptions.ClockKey)] TimeProvider clock,
        IOptions<RoutingOptions> options,
        IRoutingEventLog eventLog,
        ILogger<AgentGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _state = state;
        _clock = clock;
        _eventLog = eventLog;
        _logger = logger;
        _streams = new OfferStreamTracker(options.Value.OfferStreamLease, options.Value.OfferStreamGrace);
        _reconcile = new ReconcileSchedule(options.Value.ReconcilePeriod);
        _queues = new QueueMembership(this.GetPrimaryKeyString(), Queue);
    }

    private string AgentId => this.GetPrimaryKeyString();

    private AgentRecord Record => _state.State;

    // The collaborators, made on first use (they need the grain's key and factory, set at activation).
    private EventOutbox Outbox => _outbox ??= new EventOutbox(_eventLog, () => Record.UnloggedEvents, _logger, $"Agent {AgentId}");

    private AgentRecorder Recorder => _recorder ??= new AgentRecorder(
        AgentId, () => _state.State, () => Desk.Workload, () => WriteDurablyAsync(_state), Outbox, _clock, PublishOccupancy);

    private OfferLeaseSweep LeaseSweep => _leaseSweep ??= ServiceProvider.GetRequiredService<OfferLeaseSweep>();

    private WorkDesk Desk => _desk ??= new WorkDesk(AgentId, () => _state.State, Recorder, _streams, _queues, Interaction, Queue, _clock, ArmTimer, _logger);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Events committed with the state but not yet logged when the last activation ended go now.
        await Outbox.FlushAsync();
        _timer = new DeadlineTimer(this, _clock, OnDeadlineAsync, keepAlive: false, ServiceProvider.GetRequiredService<ArmedTimers>());
        if (Record.Config is { } config)
        {
            _skills = config.ToSkillSet();
            Desk.Restore(config.Capacity.ToProfile(), Record.Work);

            // Which of its queues are split into shards, so the agent asks and keeps current every shard.
            await _queues.LearnShardsAsync(Record.QueueIds);
        }

        if (Record.SignedIn)
        {
            // No desktop can be attached to a fresh activation: the grace period starts now.
            _streams.StartAbsenceIfNoneAttached(_clock.GetUtcNow());
        }

        ArmTimer();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        RoutingMetrics.AgentGone(AgentId);
        LeaseSweep.Watch(AgentId, null);
        _timer?.Stop();
        return Task.CompletedTask;
    }

    public Task<AgentDetails> Define(AgentConfig config, Actor actor) => DefineAsync(config, actor, RoutingEventType.Defined);

    public async Task<AgentDetails> SetQueues(ImmutableArray<string> queueIds, Actor actor) =>
        await DefineAsync(RequireDefined() with { QueueIds = queueIds }, actor, RoutingEventType.QueuesChanged);

    public async Task<AgentDetails> SetSkills(ImmutableDictionary<string, int> skills, Actor actor) =>
        await DefineAsync(RequireDefined() with { Skills = skills }, actor, RoutingEventType.SkillsChanged);

    public Task<AgentDetails?> GetDetails() => Task.FromResult(Record.Config is null ? null : Details());

    public Task<AgentOccupancyView> GetOccupancy()
    {
        RequireDefined();
        return Task.FromResult(Recorder.Occupancy.View(Desk.Status(), Record.QueueIds, _clock.GetUtcNow()));
    }

    public async Task<AgentStatusView> SignIn(Presence presence)
    {
        RequireDefined();
        if (presence == Presence.Offline)
        {
            throw RoutingException.Invalid("presence", "cannot sign in as OFFLINE");
        }

        var now = _clock.GetUtcNow();
        var wasSignedIn = Record.SignedIn;
        Record.SignedIn = true;
        Record.ChangePresence(presence, now);
        if (!wasSignedIn)
        {
            Record.IdleSince = now;
            _streams.StartAbsenceIfNoneAttached(now);
        }

        Recorder.RecordEvent(wasSignedIn ? RoutingEventType.PresenceChanged : RoutingEventType.SignedIn, Actor.Agent(AgentId), $"presence={presence}");
        await Recorder.CommitAsync();
        await _queues.JoinAsync([], Record.QueueIds, Desk.Snapshot());
        await Desk.PullWorkAsync();
        ArmTimer();
        return Desk.Status();
    }

    public async Task<AgentStatusView> SignOut(string? reason)
    {
        RequireDefined();
        if (!Record.SignedIn)
        {
            return Desk.Status();
        }

        Record.SignedIn = false;
        Record.ChangePresence(Presence.Offline, _clock.GetUtcNow());
        await Desk.GiveUpHoldAsync();
        await Desk.ReturnOffersAsync(ReturnReason.SignedOut, reason ?? "signed out", "signed_out");
        Recorder.RecordEvent(RoutingEventType.SignedOut, Actor.Agent(AgentId), reason);
        await Recorder.CommitAsync();
        Desk.PublishSnapshot();
        Desk.NotifyStatus();
        return Desk.Status();
    }

    public async Task<AgentStatusView> SetPresence(Presence presence)
    {
        RequireDefined();
        if (presence == Presence.Offline)
        {
            return await SignOut("presence set to OFFLINE");
        }

        if (!Record.SignedIn)
        {
            throw RoutingException.Precondition("agent_id", $"agent '{AgentId}' is not signed in");
        }

        Record.ChangePresence(presence, _clock.GetUtcNow());
        Recorder.RecordEvent(RoutingEventType.PresenceChanged, Actor.Agent(AgentId), $"presence={presence}");
        await Recorder.CommitAsync();
        if (presence != Presence.Available)
        {
            await Desk.GiveUpHoldAsync();
        }

        await Desk.PullWorkAsync();
        Desk.NotifyStatus();
        return Desk.Status();
    }

    public async Task<OfferStreamAttachment> AttachOfferStream(IOfferObserver observer)
    {
        RequireDefined();
        _streams.Renew(observer, _clock.GetUtcNow());
        ArmTimer();
        var offers = await Desk.OutstandingOffersAsync();
        return new OfferStreamAttachment(Desk.Status(), offers);
    }

    public async Task<ImmutableArray<OfferView>> RenewOfferStream(IOfferObserver observer)
    {
        if (_streams.Renew(observer, _clock.GetUtcNow()))
        {
            // The usual renewal, every few seconds per open desktop: only the lease moved, and the silo's sweep
            // watches leases; the agent's own deadlines (offers, wrap-up, grace, reconciliation) are as they were.
            LeaseSweep.Watch(AgentId, _streams.LeaseEnds);
            return [];
        }

        ArmTimer();
        return await Desk.OutstandingOffersAsync();
    }

    public Task DetachOfferStream(IOfferObserver observer)
    {
        if (_streams.Detach(observer, _clock.GetUtcNow(), Record.SignedIn))
        {
            ArmTimer();
        }

        return Task.CompletedTask;
    }

    public Task CheckOfferStreamLeases() => OnDeadlineAsync(CancellationToken.None);

    public Task ResumeAfterRecovery()
    {
        Desk.PublishSnapshot();
        return Task.CompletedTask;
    }

    public async Task<InteractionSnapshot> Accept(string interactionId)
    {
        RequireDefined();
        return await Desk.AcceptAsync(interactionId);
    }

    public async Task<InteractionSnapshot> Reject(string interactionId, string? reason)
    {
        RequireDefined();
        return await Desk.RejectAsync(interactionId, reason);
    }

    public async Task<InteractionSnapshot> Complete(string interactionId, string? disposition)
    {
        RequireDefined();
        return await Desk.CompleteAsync(interactionId, disposition);
    }

    public async Task<InteractionSnapshot> EndWrapUp(string interactionId)
    {
        RequireDefined();
        return await Desk.EndWrapUpAsync(interactionId);
    }

    public async Task<InteractionSnapshot> OfferTransfer(QueueEntry entry, string queueId, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(entry);
        RequireDefined();
        if (TransferOffer.Refusal(AgentId, Record, Desk.Workload, entry) is { } refusal)
        {
            throw RoutingException.Precondition("agent_id", refusal);
        }

        var config = await Queue(queueId).GetConfig();
        var channels = await GrainFactory.GetGrain<IChannelCatalogGrain>(ChannelCatalogGrain.Key).GetAll();
        var claim = TransferOffer.Claim(entry, config, channels.GetValueOrDefault(entry.Channel));
        var offered = await Desk.TakeOfferAsync(queueId, claim, actor)
            ?? throw RoutingException.Precondition("interaction_id", $"'{entry.InteractionId}' can no longer be transferred");
        Desk.PublishSnapshot();
        return offered;
    }

    public async Task Propose(Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var entry = proposal.Entry;
        var eligibility = Record.Config is null
            ? Eligibility.NotMember
            : EligibilityRules.Check(AgentViews.Availability(AgentId, Record, Desk.Workload, _skills), Record.QueueIds.ToHashSet(StringComparer.Ordinal), DemandOf(entry, proposal.QueueId));
        if (eligibility != Eligibility.Eligible || Desk.Workload.Find(entry.InteractionId) is not null)
        {
            LogDeclined(AgentId, entry.InteractionId, eligibility);
            await _queues.DeclineAsync(proposal.ShardKey, Desk.Snapshot(), entry.InteractionId, proposal.ProposalId);
            return;
        }

        var claim = await _queues.ClaimAsync(proposal.ShardKey, Desk.Snapshot(), entry.InteractionId);
        if (claim.Granted)
        {
            await Desk.TakeOfferAsync(proposal.ShardKey, claim, Actor.Engine);

            // Room left (three chats, say): take what waited behind this one now rather than at the next sweep.
            await Desk.PullWorkAsync();
            return;
        }

        Desk.PublishSnapshot();
    }

    public Task Withdraw(string interactionId, string reason) => Desk.WithdrawAsync(interactionId, reason);

    public Task Reconcile(string interactionId) => Desk.ReconcileAsync(interactionId);

    public Task Hold(string queueId, string interactionId) => Desk.HoldAsync(queueId, interactionId);

    public Task ReleaseHold(string interactionId) => Desk.ReleaseHoldAsync(interactionId);

    public Task RefreshQueue(string queueId) =>
        _queues.RefreshAsync(queueId, Record.Config is not null && Record.QueueIds.Contains(QueueShardKey.QueueIdOf(queueId)), Desk.Snapshot);

    private async Task<AgentDetails> DefineAsync(AgentConfig config, Actor actor, RoutingEventType eventType)
    {
        ArgumentNullException.ThrowIfNull(config);
        var previousQueues = Record.QueueIds;
        var profile = config.Capacity.ToProfile();
        Record.Config = config;
        _skills = config.ToSkillSet();
        Desk.ChangeProfile(profile);

        Recorder.RecordEvent(eventType, actor, $"queues={string.Join(',', config.QueueIds)}; skills={string.Join(',', config.Skills.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}:{k.Value}"))}");
        await Recorder.CommitAsync();
        LogDefined(AgentId, actor, config.QueueIds.Length);
        await GrainFactory.GetGrain<IRegistryShardGrain>(Registry.ShardKey(Registry.Agents, AgentId)).Add(AgentId);
        await _queues.JoinAsync(previousQueues, Record.QueueIds, Desk.Snapshot());
        await Desk.PullWorkAsync();
        return Details();
    }

    private async Task OnDeadlineAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        foreach (var expired in Desk.Workload.ExpiredOffers(now))
        {
            await Desk.TimeOutOfferAsync(expired, now);
        }

        foreach (var finished in Desk.Workload.FinishedWrapUps(now))
        {
            await Desk.FinishWrapUpAsync(finished.InteractionId, Actor.Engine);
        }

        if (_reconcile.TakeDue(now))
        {
            await Desk.ReconcileAllAsync();
        }

        _streams.ExpireLeases(now);

        // The contract (§3.8): the desktop is gone. Its offers go back; no new ones until it sets AVAILABLE again.
        if (_streams.GraceRanOut(now, Record.SignedIn) && (Desk.Workload.Offers.Any() || !Record.NotResponding))
        {
            LogStreamLost(AgentId);
            Record.NotResponding = true;
            Recorder.RecordEvent(RoutingEventType.NotResponding, Actor.Engine, "offer stream lost beyond the grace period");
            await Desk.GiveUpHoldAsync();
            await Desk.ReturnOffersAsync(ReturnReason.StreamLost, "offer stream lost", "stream_lost");
            await Recorder.CommitAsync();
            Desk.PublishSnapshot();
        }

        ArmTimer();
    }

    /// <summary>
    /// One timer for everything the agent waits for: offer expiry, wrap-up end, reconciliation, the stream grace
    /// period. Stream leases are watched by the silo's sweep instead, so an idle agent whose desktop renews arms nothing.
    /// </summary>
    private void ArmTimer()
    {
        _reconcile.Keep(Desk.Workload.Items.Count > 0, _clock.GetUtcNow());
        LeaseSweep.Watch(AgentId, _streams.LeaseEnds);
        _timer?.ArmAt(Deadlines.Earliest(Desk.Workload.NextDeadline, _reconcile.Next, _streams.GraceEnds(Record.SignedIn)));
    }

    /// <summary>Publishes the occupancy to the live feed while someone watches it, throttled (see <see cref="ThrottledFeed"/>).</summary>
    private void PublishOccupancy() => (_occupancyFeed ??= this.LiveFeed(
        PublishInterval,
        LiveFeeds.OccupancyStream(AgentId),
        () => Recorder.Occupancy.View(Desk.Status(), Record.QueueIds, _clock.GetUtcNow()))).Changed();

    private AgentConfig RequireDefined() => Record.Config ?? throw RoutingException.NotFound("agent_id", "agent", AgentId);

    private static InteractionDemand DemandOf(QueueEntry entry, string queueId) =>
        new(entry.InteractionId, queueId, entry.Channel, entry.ToDemand(), entry.ExcludedAgents.ToHashSet(StringComparer.Ordinal));

    private AgentDetails Details() => new(Record.Config!, Desk.Status());

    private IQueueGrain Queue(string queueId) => GrainFactory.Queue(queueId);

    private IInteractionGrain Interaction(string interactionId) => GrainFactory.Interaction(interactionId);
}
