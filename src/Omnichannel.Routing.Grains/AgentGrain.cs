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
/// and desktops, in that order. The bookkeeping is done by plain collaborators in <c>Agents/</c>:
/// <see cref="OfferStreamTracker"/> (desktops and their leases), <see cref="OfferViewBook"/> (offers as shown),
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
    private const int MaxPullRounds = 32;
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(100);

    private readonly IPersistentState<AgentRecord> _state;
    private readonly TimeProvider _clock;
    private readonly IRoutingEventLog _eventLog;
    private readonly ILogger<AgentGrain> _logger;
    private readonly OfferStreamTracker _streams;
    private readonly ReconcileSchedule _reconcile;
    private readonly OfferViewBook _offerViews = new();
    private readonly QueueMembership _queues;
    private AgentWorkload _workload = new(CapacityProfile.SingleInteraction("voice"));
    private SkillSet _skills = SkillSet.None;
    private AgentOccupancy? _occupancy;
    private ThrottledFeed? _occupancyFeed;
    private EventOutbox? _eventOutbox;
    private IGrainTimer? _publishTimer;
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

    private EventOutbox Outbox => _eventOutbox ??= new EventOutbox(_eventLog, () => Record.UnloggedEvents, _logger, $"Agent {AgentId}");

    private AgentOccupancy Occupancy => _occupancy ??= AgentOccupancy.Restore(Record.OccupancyJson, _clock.GetUtcNow(), DateTimeOffset.UtcNow.UtcTicks);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Events committed with the state but not yet logged when the last activation ended go now.
        await Outbox.FlushAsync();
        _timer = new DeadlineTimer(this, _clock, OnDeadlineAsync, keepAlive: false);
        if (Record.Config is { } config)
        {
            _skills = config.ToSkillSet();
            _workload = new AgentWorkload(config.Capacity.ToProfile(), Record.Work);
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
        return Task.FromResult(Occupancy.View(Status(), Record.QueueIds, _clock.GetUtcNow()));
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

        RecordEvent(wasSignedIn ? RoutingEventType.PresenceChanged : RoutingEventType.SignedIn, Actor.Agent(AgentId), $"presence={presence}");
        await CommitAsync();
        await _queues.JoinAsync([], Record.QueueIds, Snapshot());
        await PullWorkAsync();
        ArmTimer();
        return Status();
    }

    public async Task<AgentStatusView> SignOut(string? reason)
    {
        RequireDefined();
        if (!Record.SignedIn)
        {
            return Status();
        }

        Record.SignedIn = false;
        Record.ChangePresence(Presence.Offline, _clock.GetUtcNow());
        await ReleaseHoldAsync();
        await ReturnOffersAsync(ReturnReason.SignedOut, reason ?? "signed out", "signed_out");
        RecordEvent(RoutingEventType.SignedOut, Actor.Agent(AgentId), reason);
        await CommitAsync();
        PublishSnapshot();
        NotifyStatus();
        return Status();
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
        RecordEvent(RoutingEventType.PresenceChanged, Actor.Agent(AgentId), $"presence={presence}");
        await CommitAsync();
        if (presence != Presence.Available)
        {
            await ReleaseHoldAsync();
        }

        await PullWorkAsync();
        NotifyStatus();
        return Status();
    }

    public async Task<OfferStreamAttachment> AttachOfferStream(IOfferObserver observer)
    {
        RequireDefined();
        _streams.Renew(observer, _clock.GetUtcNow());
        ArmTimer();
        var offers = await OutstandingOffersAsync();
        return new OfferStreamAttachment(Status(), offers);
    }

    public async Task<ImmutableArray<OfferView>> RenewOfferStream(IOfferObserver observer)
    {
        var known = _streams.Renew(observer, _clock.GetUtcNow());
        ArmTimer();
        return known ? [] : await OutstandingOffersAsync();
    }

    public Task DetachOfferStream(IOfferObserver observer)
    {
        if (_streams.Detach(observer, _clock.GetUtcNow(), Record.SignedIn))
        {
            ArmTimer();
        }

        return Task.CompletedTask;
    }

    public Task ResumeAfterRecovery()
    {
        PublishSnapshot();
        return Task.CompletedTask;
    }

    public async Task<InteractionSnapshot> Accept(string interactionId)
    {
        RequireDefined();
        var now = _clock.GetUtcNow();
        var (change, item) = _workload.Accept(interactionId, now);
        switch (change)
        {
            case WorkChange.NotHeld:
                throw RoutingException.Precondition("interaction_id", $"no offer of '{interactionId}' stands for agent '{AgentId}'");
            case WorkChange.WrongPhase:
                throw RoutingException.Precondition("interaction_id", $"'{interactionId}' is already {Describe(item!.Phase)}");
            case WorkChange.Expired:
                await TimeOutOfferAsync(item!, now);
                throw RoutingException.Precondition("interaction_id", $"the offer of '{interactionId}' expired");
        }

        _offerViews.Forget(interactionId);
        await CommitAsync();
        try
        {
            var snapshot = await Interaction(interactionId).MarkConnected(AgentId);
            RoutingMetrics.OfferAccepted(item!.QueueId, item.Channel);
            NotifyStatus();
            return snapshot;
        }
        catch (RoutingException)
        {
            // The interaction moved on (cancelled while the accept was in flight): give the capacity back.
            await DropAsync(interactionId);
            await PullWorkAsync();
            throw;
        }
    }

    public async Task<InteractionSnapshot> Reject(string interactionId, string? reason)
    {
        RequireDefined();
        var item = HeldOrRefuse(interactionId, $"no offer of '{interactionId}' stands for agent '{AgentId}'");
        if (item.Phase != WorkPhase.Offered)
        {
            throw RoutingException.Precondition("interaction_id", $"'{interactionId}' is {Describe(item.Phase)}; only an offer can be rejected");
        }

        await DropAsync(interactionId);
        RoutingMetrics.OfferRejected(item.QueueId, item.Channel);
        var snapshot = await Interaction(interactionId).MarkReturned(AgentId, ReturnReason.Rejected, reason);
        await PullWorkAsync();
        NotifyStatus();
        return snapshot;
    }

    public async Task<InteractionSnapshot> Complete(string interactionId, string? disposition)
    {
        RequireDefined();
        var held = HeldOrRefuse(interactionId, $"agent '{AgentId}' does not hold '{interactionId}'");
        var (change, item) = _workload.Complete(interactionId, _clock.GetUtcNow(), held.WrapUp);
        if (change != WorkChange.Done)
        {
            throw RoutingException.Precondition("interaction_id", $"'{interactionId}' is {Describe(item!.Phase)}; only a connected interaction can be completed");
        }

        await CommitAsync();
        var snapshot = await Interaction(interactionId).MarkWrapUp(AgentId, disposition);
        if (held.WrapUp <= TimeSpan.Zero)
        {
            return await FinishWrapUpAsync(interactionId, Actor.Engine);
        }

        ArmTimer();
        NotifyStatus();
        return snapshot;
    }

    public async Task<InteractionSnapshot> EndWrapUp(string interactionId)
    {
        RequireDefined();
        var item = HeldOrRefuse(interactionId, $"agent '{AgentId}' does not hold '{interactionId}'");
        if (item.Phase != WorkPhase.WrapUp)
        {
            throw RoutingException.Precondition("interaction_id", $"'{interactionId}' is {Describe(item.Phase)}, not in wrap-up");
        }

        return await FinishWrapUpAsync(interactionId, Actor.Agent(AgentId));
    }

    public async Task<InteractionSnapshot> OfferTransfer(QueueEntry entry, string queueId, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(entry);
        RequireDefined();
        if (TransferOffer.Refusal(AgentId, Record, _workload, entry) is { } refusal)
        {
            throw RoutingException.Precondition("agent_id", refusal);
        }

        var config = await Queue(queueId).GetConfig();
        var channels = await GrainFactory.GetGrain<IChannelCatalogGrain>(ChannelCatalogGrain.Key).GetAll();
        var claim = TransferOffer.Claim(entry, config, channels.GetValueOrDefault(entry.Channel));
        var offered = await TakeOfferAsync(queueId, claim, actor)
            ?? throw RoutingException.Precondition("interaction_id", $"'{entry.InteractionId}' can no longer be transferred");
        PublishSnapshot();
        return offered;
    }

    public async Task Propose(Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var entry = proposal.Entry;
        var eligibility = Record.Config is null
            ? Eligibility.NotMember
            : EligibilityRules.Check(AgentViews.Availability(AgentId, Record, _workload, _skills), Record.QueueIds.ToHashSet(StringComparer.Ordinal), DemandOf(entry, proposal.QueueId));
        if (eligibility != Eligibility.Eligible || _workload.Find(entry.InteractionId) is not null)
        {
            LogDeclined(AgentId, entry.InteractionId, eligibility);
            await _queues.DeclineAsync(proposal.QueueId, Snapshot(), entry.InteractionId, proposal.ProposalId);
            return;
        }

        var claim = await _queues.ClaimAsync(proposal.QueueId, Snapshot(), entry.InteractionId);
        if (claim.Granted)
        {
            await TakeOfferAsync(proposal.QueueId, claim, Actor.Engine);

            // Room left (three chats, say): take what waited behind this one now rather than at the next sweep.
            await PullWorkAsync();
            return;
        }

        PublishSnapshot();
    }

    public async Task Withdraw(string interactionId, string reason)
    {
        if (_workload.Find(interactionId) is null)
        {
            return;
        }

        await DropAsync(interactionId);
        _streams.Notify(o => o.OnWithdrawn(interactionId, reason));
        await PullWorkAsync();
        NotifyStatus();
    }

    public async Task Reconcile(string interactionId)
    {
        if (_workload.Find(interactionId) is { } item)
        {
            await ReconcileItemAsync(item);
        }
        else
        {
            await Interaction(interactionId).Reconcile(AgentId);
        }
    }

    public async Task Hold(string queueId, string interactionId)
    {
        if (!Record.TryHold(queueId, interactionId))
        {
            await Queue(queueId).HoldRefused(Snapshot(), interactionId);
            return;
        }

        await CommitAsync();
        LogHeld(AgentId, interactionId);
        // It may already fit (the other work drained meanwhile); otherwise queues now see it as held.
        await PullWorkAsync();
    }

    public async Task ReleaseHold(string interactionId)
    {
        if (Record.ReleaseHoldFor(interactionId))
        {
            await CommitAsync();
            await PullWorkAsync();
        }
    }

    public Task RefreshQueue(string queueId)
    {
        _queues.Refresh(queueId, Record.Config is not null && Record.QueueIds.Contains(queueId), Snapshot);
        return Task.CompletedTask;
    }

    private async Task<AgentDetails> DefineAsync(AgentConfig config, Actor actor, RoutingEventType eventType)
    {
        ArgumentNullException.ThrowIfNull(config);
        var previousQueues = Record.QueueIds;
        var profile = config.Capacity.ToProfile();
        Record.Config = config;
        _skills = config.ToSkillSet();
        if (_workload.Items.Count == 0)
        {
            _workload = new AgentWorkload(profile);
        }
        else
        {
            _workload.ChangeProfile(profile);
        }

        RecordEvent(eventType, actor, $"queues={string.Join(',', config.QueueIds)}; skills={string.Join(',', config.Skills.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}:{k.Value}"))}");
        await CommitAsync();
        LogDefined(AgentId, actor, config.QueueIds.Length);
        await GrainFactory.GetGrain<IRegistryShardGrain>(Registry.ShardKey(Registry.Agents, AgentId)).Add(AgentId);
        await _queues.JoinAsync(previousQueues, Record.QueueIds, Snapshot());
        await PullWorkAsync();
        return Details();
    }

    /// <summary>
    /// Interaction selection (contract §3.3): while the agent has room, ask every one of its queues for its best
    /// candidate, take the one with the highest effective priority, and claim it from its queue.
    /// </summary>
    private async Task PullWorkAsync()
    {
        try
        {
            for (var round = 0; round < MaxPullRounds && Record.IsReady && AgentViews.HasRoomForAnything(Record, _workload); round++)
            {
                var snapshot = Snapshot();
                if (await _queues.BestWaitingAsync(Record.QueueIds, snapshot, _clock) is not { } best)
                {
                    break;
                }

                var claim = await _queues.ClaimAsync(best.QueueId, snapshot, best.InteractionId);
                if (claim.Granted)
                {
                    await TakeOfferAsync(best.QueueId, claim, Actor.Engine);
                }
            }

            PublishSnapshot();
        }
        catch (RoutingException e) when (e.Code == RoutingErrorCode.Unavailable)
        {
            // The change that made room is stored; what waits stays queued and the queue's sweep offers it again.
            LogPullFailed(AgentId, e);
        }
    }

    /// <summary>Reserves capacity for a claimed interaction and makes the offer.</summary>
    private async Task<InteractionSnapshot?> TakeOfferAsync(string queueId, ClaimResult claim, Actor actor)
    {
        var entry = claim.Entry!;
        var now = _clock.GetUtcNow();
        if (_workload.CanReserve(entry.Channel) != CapacityVerdict.Fits || _workload.Find(entry.InteractionId) is not null)
        {
            // The queue's view was stale: the interaction goes back where it was, untouched.
            await Queue(queueId).Enqueue(entry with { Admitted = true });
            return null;
        }

        var item = _workload.Reserve(entry.InteractionId, entry.Channel, queueId, now, claim.OfferTimeout, claim.WrapUp);
        Record.IdleSince = now;
        Record.ReleaseHoldFor(entry.InteractionId);

        // The reservation counts only once it is stored (against the version this activation read).
        try
        {
            await CommitAsync();
        }
        catch (RoutingException)
        {
            // Not stored: undo it and give the interaction back to its queue, untouched, before refusing.
            _workload.Release(entry.InteractionId);
            await Queue(queueId).Enqueue(entry with { Admitted = true });
            throw;
        }

        OfferGrant? grant;
        try
        {
            grant = await Interaction(entry.InteractionId).MarkOffered(AgentId, queueId, now, item.Deadline!.Value, claim.AutoAccept, actor);
        }
        catch
        {
            await DropAsync(entry.InteractionId);
            throw;
        }

        if (grant is null)
        {
            // Cancelled, moved or taken elsewhere while we reserved: give the capacity back.
            await DropAsync(entry.InteractionId);
            return null;
        }

        var offer = new OfferView(grant.Interaction, now, item.Deadline!.Value, claim.AutoAccept, grant.RecentJourney);
        if (claim.AutoAccept)
        {
            _workload.Accept(entry.InteractionId, now);
            await CommitAsync();
        }
        else
        {
            _offerViews.Remember(entry.InteractionId, offer);
        }

        LogOffered(AgentId, entry.InteractionId, queueId);
        RoutingMetrics.OfferMade(queueId, entry.Channel);
        if (claim.AutoAccept)
        {
            RoutingMetrics.OfferAccepted(queueId, entry.Channel);
        }

        _streams.Notify(o => o.OnOffered(offer));
        ArmTimer();
        return grant.Interaction;
    }

    private async Task<InteractionSnapshot> FinishWrapUpAsync(string interactionId, Actor actor)
    {
        if (_workload.Find(interactionId) is { Phase: WorkPhase.WrapUp } done)
        {
            Occupancy.Handled(done, _clock.GetUtcNow());
        }

        await DropAsync(interactionId);
        var snapshot = await Interaction(interactionId).MarkCompleted(AgentId, actor);
        await PullWorkAsync();
        NotifyStatus();
        return snapshot;
    }

    private async Task TimeOutOfferAsync(WorkItem item, DateTimeOffset now)
    {
        LogTimedOut(AgentId, item.InteractionId);
        RoutingMetrics.OfferTimedOut(item.QueueId, item.Channel);
        Record.NotResponding = true;
        RecordEvent(RoutingEventType.NotResponding, Actor.Engine, $"offer of {item.InteractionId} timed out");
        await ReleaseHoldAsync();
        await ReturnOfferAsync(item.InteractionId, ReturnReason.TimedOut, $"no answer within the offer timeout at {now:O}", "timed_out");
        PublishSnapshot();
        NotifyStatus();
    }

    private async Task ReturnOffersAsync(ReturnReason reason, string detail, string withdrawnReason)
    {
        foreach (var offer in _workload.Offers.ToList())
        {
            await ReturnOfferAsync(offer.InteractionId, reason, detail, withdrawnReason);
        }
    }

    /// <summary>Gives one offer back: the capacity, the desktops' view of it, and the interaction to its queue.</summary>
    private async Task ReturnOfferAsync(string interactionId, ReturnReason reason, string detail, string withdrawnReason)
    {
        await DropAsync(interactionId);
        _streams.Notify(o => o.OnWithdrawn(interactionId, withdrawnReason));
        await Interaction(interactionId).MarkReturned(AgentId, reason, detail);
    }

    private async Task ReleaseHoldAsync()
    {
        if (Record.TakeHold() is { } hold)
        {
            await CommitAsync();
            await Queue(hold.QueueId).HoldRefused(Snapshot(), hold.InteractionId);
        }
    }

    private async Task OnDeadlineAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        foreach (var expired in _workload.ExpiredOffers(now))
        {
            await TimeOutOfferAsync(expired, now);
        }

        foreach (var finished in _workload.FinishedWrapUps(now))
        {
            await FinishWrapUpAsync(finished.InteractionId, Actor.Engine);
        }

        if (_reconcile.TakeDue(now))
        {
            foreach (var item in _workload.Items.ToList())
            {
                await ReconcileItemAsync(item);
            }
        }

        _streams.ExpireLeases(now);

        // The contract (§3.8): the desktop is gone. Its offers go back; no new ones until it sets AVAILABLE again.
        if (_streams.GraceRanOut(now, Record.SignedIn) && (_workload.Offers.Any() || !Record.NotResponding))
        {
            LogStreamLost(AgentId);
            Record.NotResponding = true;
            RecordEvent(RoutingEventType.NotResponding, Actor.Engine, "offer stream lost beyond the grace period");
            await ReleaseHoldAsync();
            await ReturnOffersAsync(ReturnReason.StreamLost, "offer stream lost", "stream_lost");
            await CommitAsync();
            PublishSnapshot();
        }

        ArmTimer();
    }

    /// <summary>Acts on what <see cref="Reconciliation"/> decides for one held interaction.</summary>
    private async Task ReconcileItemAsync(WorkItem item)
    {
        var interaction = Interaction(item.InteractionId);
        switch (Reconciliation.Decide(item, await interaction.GetSnapshot(), AgentId))
        {
            case ReconcileAction.Drop:
                LogReconciled(AgentId, item.InteractionId, "dropped");
                await DropAsync(item.InteractionId);
                await PullWorkAsync();
                break;
            case ReconcileAction.RetellAccepted:
                LogReconciled(AgentId, item.InteractionId, "accept told again");
                await interaction.MarkConnected(AgentId);
                break;
            case ReconcileAction.RetellCompleted:
                LogReconciled(AgentId, item.InteractionId, "completion told again");
                await interaction.MarkWrapUp(AgentId, null);
                break;
        }
    }

    /// <summary>One timer for everything the agent waits for: offer expiry, wrap-up end, reconciliation, stream leases.</summary>
    private void ArmTimer()
    {
        _reconcile.Keep(_workload.Items.Count > 0, _clock.GetUtcNow());
        _timer?.ArmAt(Deadlines.Earliest(_workload.NextDeadline, _reconcile.Next, _streams.NextDeadline(Record.SignedIn)));
    }

    /// <summary>Sends the latest snapshot, one-way, to every queue that has not seen it.</summary>
    private void PublishSnapshot()
    {
        if (Record.Config is not null)
        {
            _queues.Publish(Record.QueueIds, Record.Version, Snapshot);
        }
    }

    private async Task DropAsync(string interactionId)
    {
        _workload.Release(interactionId);
        _offerViews.Forget(interactionId);
        await CommitAsync();
        ArmTimer();
    }

    /// <summary>Stores the state, with the held work as the workload has it, making the change visible to queues with a new version.</summary>
    private async Task CommitAsync()
    {
        Record.Version++;
        Record.Work = [.. _workload.Items];
        var activity = _workload.ActivityWhen(Record.SignedIn, Record.NotResponding);
        var occupied = _workload.Items.Any(i => i.Phase is WorkPhase.Connected or WorkPhase.WrapUp);
        Record.OccupancyJson = Occupancy.Observe(_clock.GetUtcNow(), Record.SignedIn, Record.Presence, activity, occupied);
        RoutingMetrics.AgentActivityIs(AgentId, activity);
        await WriteDurablyAsync(_state);
        await Outbox.FlushAsync();
        PublishOccupancy();
    }

    /// <summary>Publishes the occupancy to the live feed, throttled (see <see cref="ThrottledFeed"/>).</summary>
    private void PublishOccupancy() => (_occupancyFeed ??= new ThrottledFeed(
        PublishInterval,
        () => this.GetStreamProvider(LiveFeeds.Provider).GetStream<AgentOccupancyView>(LiveFeeds.OccupancyStream(AgentId))
            .OnNextAsync(Occupancy.View(Status(), Record.QueueIds, _clock.GetUtcNow())).Ignore(),
        ScheduleFeedFlush)).Changed();

    private void ScheduleFeedFlush(TimeSpan delay)
    {
        _publishTimer ??= this.RegisterGrainTimer(
            _ =>
            {
                _occupancyFeed?.Flush();
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { Interleave = false });
        _publishTimer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Records an agent event (presence, activity, definition) in the outbox: it is committed by the next
    /// <see cref="CommitAsync"/> and reaches the event log right after it.
    /// </summary>
    private void RecordEvent(RoutingEventType type, Actor actor, string? detail) =>
        Outbox.Add(RoutingEvent.ForAgent(_clock.GetUtcNow(), AgentId, ++Record.EventSequence, type, actor, detail));

    /// <summary>Offers not yet answered, rebuilt from their interactions when this activation never made them.</summary>
    private Task<ImmutableArray<OfferView>> OutstandingOffersAsync() =>
        _offerViews.OutstandingAsync(_workload.Offers, id => Interaction(id).GetSnapshot());

    private void NotifyStatus()
    {
        if (_streams.AnyAttached)
        {
            var status = Status();
            _streams.Notify(o => o.OnStatus(status));
        }
    }

    private AgentConfig RequireDefined() => Record.Config ?? throw RoutingException.NotFound("agent_id", "agent", AgentId);

    private WorkItem HeldOrRefuse(string interactionId, string refusal) =>
        _workload.Find(interactionId) ?? throw RoutingException.Precondition("interaction_id", refusal);

    private static InteractionDemand DemandOf(QueueEntry entry, string queueId) =>
        new(entry.InteractionId, queueId, entry.Channel, entry.ToDemand(), entry.ExcludedAgents.ToHashSet(StringComparer.Ordinal));

    private AgentSnapshot Snapshot() => AgentViews.Snapshot(AgentId, Record, _workload);

    private AgentStatusView Status() => AgentViews.Status(AgentId, Record, _workload);

    private AgentDetails Details() => new(Record.Config!, Status());

    private IQueueGrain Queue(string queueId) => GrainFactory.GetGrain<IQueueGrain>(queueId);

    private IInteractionGrain Interaction(string interactionId) => GrainFactory.GetGrain<IInteractionGrain>(interactionId);

    private static string Describe(WorkPhase phase) => phase switch
    {
        WorkPhase.Offered => "offered, not yet accepted",
        WorkPhase.Connected => "connected",
        _ => "in wrap-up",
    };
}
