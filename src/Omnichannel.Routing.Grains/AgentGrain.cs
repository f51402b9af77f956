using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// One agent: definition, presence, workload and offers. It is the single authority on the agent's capacity: every
/// offer is a reservation made here, through <see cref="AgentWorkload"/>, whichever queue proposed it.
/// </summary>
/// <remarks>
/// Call graph: this grain awaits queues, interactions and the catalog; none of them ever awaits an agent (they reach
/// it one-way), so the graph has no cycle and a non-reentrant agent cannot deadlock.
/// </remarks>
public sealed partial class AgentGrain : RoutingGrain, IAgentGrain
{
    private const int MaxPullRounds = 32;
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(100);
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly IPersistentState<AgentRecord> _state;
    private readonly TimeProvider _clock;
    private readonly RoutingOptions _options;
    private readonly IRoutingEventLog _eventLog;
    private readonly ILogger<AgentGrain> _logger;
    private readonly Dictionary<IOfferObserver, DateTimeOffset> _streams = [];
    private readonly Dictionary<string, long> _publishedVersion = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OfferView> _offerViews = new(StringComparer.Ordinal);
    private AgentWorkload _workload = new(CapacityProfile.SingleInteraction("voice"));
    private SkillSet _skills = SkillSet.None;
    private DateTimeOffset? _streamAbsentSince;
    private DateTimeOffset _nextReconcile = DateTimeOffset.MaxValue;
    private readonly List<RoutingEvent> _unlogged = [];
    private OccupancyTracker? _occupancy;
    private ThrottledFeed? _occupancyFeed;
    private long _viewSequence = DateTimeOffset.UtcNow.UtcTicks;
    private IGrainTimer? _publishTimer;
    private DeadlineTimer? _timer;

    public AgentGrain(
        [PersistentState("agent", RoutingOptions.StorageName)] IPersistentState<AgentRecord> state,
        [FromKeyedServices(RoutingOptions.ClockKey)] TimeProvider clock,
        IOptions<RoutingOptions> options,
        IRoutingEventLog eventLog,
        ILogger<AgentGrain> logger)
    {
        _state = state;
        _clock = clock;
        _options = options.Value;
        _eventLog = eventLog;
        _logger = logger;
    }

    private string AgentId => this.GetPrimaryKeyString();

    private AgentRecord Record => _state.State;

    private bool IsReady => Record.SignedIn && Record.Presence == Presence.Available && !Record.NotResponding;

    private ImmutableArray<string> QueueIds => Record.Config?.QueueIds ?? [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _timer = new DeadlineTimer(this, _clock, OnDeadlineAsync, keepAlive: false);
        if (Record.Config is { } config)
        {
            _skills = config.ToSkillSet();
            _workload = new AgentWorkload(config.Capacity.ToProfile(), Record.Work.Select(w => w.ToWorkItem()));
        }

        if (Record.SignedIn)
        {
            // No desktop can be attached to a fresh activation: the grace period starts now.
            _streamAbsentSince = _clock.GetUtcNow();
        }

        _occupancy = Record.OccupancyJson is { } saved
            ? new OccupancyTracker(JsonSerializer.Deserialize<OccupancyState>(saved, Json)!)
            : new OccupancyTracker(_clock.GetUtcNow());
        ArmTimer();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        RoutingMetrics.AgentGone(AgentId);
        _timer?.Stop();
        return Task.CompletedTask;
    }

    public Task<AgentDetails> Define(AgentConfig config, Actor actor) => DefineAsync(config, actor, "defined");

    private async Task<AgentDetails> DefineAsync(AgentConfig config, Actor actor, string eventType)
    {
        ArgumentNullException.ThrowIfNull(config);
        var previousQueues = QueueIds;
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

        await CommitAsync();
        await RecordAsync(eventType, actor, $"queues={string.Join(',', config.QueueIds)}; skills={string.Join(',', config.Skills.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}:{k.Value}"))}");
        LogDefined(AgentId, actor, config.QueueIds.Length);
        await GrainFactory.GetGrain<IRegistryShardGrain>(Registry.ShardKey(Registry.Agents, AgentId)).Add(AgentId);
        await SyncMembershipAsync(previousQueues);
        await PullWorkAsync();
        return Details();
    }

    public Task<AgentDetails?> GetDetails() => Task.FromResult(Record.Config is null ? null : Details());

    public Task<AgentOccupancyView> GetOccupancy()
    {
        RequireDefined();
        return Task.FromResult(Occupancy());
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
        SetPresenceCore(presence, now);
        if (!wasSignedIn)
        {
            Record.IdleSince = now;
            if (_streams.Count == 0)
            {
                _streamAbsentSince = now;
            }
        }

        await CommitAsync();
        await RecordAsync(wasSignedIn ? "presence_changed" : "signed_in", Actor.Agent(AgentId), $"presence={presence}");
        await SyncMembershipAsync([]);
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
        SetPresenceCore(Presence.Offline, _clock.GetUtcNow());
        await ReleaseHoldAsync();
        await ReturnOffersAsync(ReturnReason.SignedOut, reason ?? "signed out", "signed_out");
        await CommitAsync();
        await RecordAsync("signed_out", Actor.Agent(AgentId), reason);
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

        SetPresenceCore(presence, _clock.GetUtcNow());
        await CommitAsync();
        await RecordAsync("presence_changed", Actor.Agent(AgentId), $"presence={presence}");
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
        _streams[observer] = _clock.GetUtcNow() + _options.OfferStreamLease;
        _streamAbsentSince = null;
        ArmTimer();
        var offers = await OutstandingOffersAsync();
        return new OfferStreamAttachment(Status(), offers);
    }

    public async Task<ImmutableArray<OfferView>> RenewOfferStream(IOfferObserver observer)
    {
        var known = _streams.ContainsKey(observer);
        _streams[observer] = _clock.GetUtcNow() + _options.OfferStreamLease;
        _streamAbsentSince = null;
        ArmTimer();
        return known ? [] : await OutstandingOffersAsync();
    }

    public Task ResumeAfterRecovery()
    {
        PublishSnapshot();
        return Task.CompletedTask;
    }

    public Task DetachOfferStream(IOfferObserver observer)
    {
        if (_streams.Remove(observer) && _streams.Count == 0 && Record.SignedIn)
        {
            _streamAbsentSince = _clock.GetUtcNow();
            ArmTimer();
        }

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

        SaveWork(item!, keepWrapUp: true);
        MarkConnectedAt(interactionId, now);
        _offerViews.Remove(interactionId);
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
        var item = _workload.Find(interactionId)
            ?? throw RoutingException.Precondition("interaction_id", $"no offer of '{interactionId}' stands for agent '{AgentId}'");
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
        var held = HeldWorkOf(interactionId)
            ?? throw RoutingException.Precondition("interaction_id", $"agent '{AgentId}' does not hold '{interactionId}'");
        var now = _clock.GetUtcNow();
        var (change, item) = _workload.Complete(interactionId, now, held.WrapUp);
        if (change != WorkChange.Done)
        {
            throw RoutingException.Precondition("interaction_id", $"'{interactionId}' is {Describe(item!.Phase)}; only a connected interaction can be completed");
        }

        SaveWork(item!, keepWrapUp: true);
        await CommitAsync();
        var snapshot = await Interaction(interactionId).MarkWrapUp(AgentId, disposition);
        if (held.WrapUp <= TimeSpan.Zero)
        {
            snapshot = await FinishWrapUpAsync(interactionId, Actor.Engine);
        }
        else
        {
            ArmTimer();
            NotifyStatus();
        }

        return snapshot;
    }

    public async Task<InteractionSnapshot> EndWrapUp(string interactionId)
    {
        RequireDefined();
        var item = _workload.Find(interactionId)
            ?? throw RoutingException.Precondition("interaction_id", $"agent '{AgentId}' does not hold '{interactionId}'");
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
        if (!IsReady || Record.Hold is not null)
        {
            throw RoutingException.Precondition("agent_id", $"agent '{AgentId}' is not available for a transfer");
        }

        if (_workload.Find(entry.InteractionId) is not null)
        {
            throw RoutingException.Precondition("agent_id", $"agent '{AgentId}' already holds '{entry.InteractionId}'");
        }

        var verdict = _workload.CanReserve(entry.Channel);
        if (verdict != CapacityVerdict.Fits)
        {
            throw RoutingException.Precondition("agent_id", $"agent '{AgentId}' has no capacity for {entry.Channel} ({verdict})");
        }

        var config = await GrainFactory.GetGrain<IQueueGrain>(queueId).GetConfig();
        var channels = await GrainFactory.GetGrain<IChannelCatalogGrain>(ChannelCatalogGrain.Key).GetAll();
        var channel = channels.GetValueOrDefault(entry.Channel);
        var claim = new ClaimResult(
            true,
            entry,
            config?.OfferTimeout ?? QueueConfig.DefaultOfferTimeout,
            channel?.AutoAccept ?? false,
            config?.WrapUp ?? channel?.WrapUp ?? TimeSpan.Zero,
            null);
        var offered = await TakeOfferAsync(queueId, claim, actor)
            ?? throw RoutingException.Precondition("interaction_id", $"'{entry.InteractionId}' can no longer be transferred");
        PublishSnapshot();
        return offered;
    }

    public async Task<AgentDetails> SetQueues(ImmutableArray<string> queueIds, Actor actor)
    {
        var config = RequireDefined();
        return await DefineAsync(config with { QueueIds = queueIds }, actor, "queues_changed");
    }

    public async Task<AgentDetails> SetSkills(ImmutableDictionary<string, int> skills, Actor actor)
    {
        var config = RequireDefined();
        return await DefineAsync(config with { Skills = skills }, actor, "skills_changed");
    }

    public async Task Propose(Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var queue = GrainFactory.GetGrain<IQueueGrain>(proposal.QueueId);
        var entry = proposal.Entry;
        var eligibility = Record.Config is null
            ? Eligibility.NotMember
            : EligibilityRules.Check(Availability(), QueueIds.ToHashSet(StringComparer.Ordinal), DemandOf(entry, proposal.QueueId));
        if (eligibility != Eligibility.Eligible || _workload.Find(entry.InteractionId) is not null)
        {
            LogDeclined(AgentId, entry.InteractionId, eligibility);
            await queue.Decline(Snapshot(), entry.InteractionId, proposal.ProposalId);
            _publishedVersion[proposal.QueueId] = Record.Version;
            return;
        }

        var claim = await queue.Claim(Snapshot(), entry.InteractionId);
        _publishedVersion[proposal.QueueId] = Record.Version;
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
        Notify(o => o.OnWithdrawn(interactionId, reason));
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
        var queue = GrainFactory.GetGrain<IQueueGrain>(queueId);
        if (!IsReady || Record.Hold is not null || !QueueIds.Contains(queueId))
        {
            await queue.HoldRefused(Snapshot(), interactionId);
            return;
        }

        Record.Hold = new HoldRecord(queueId, interactionId);
        await CommitAsync();
        LogHeld(AgentId, interactionId);
        // It may already fit (the other work drained meanwhile); otherwise queues now see it as held.
        await PullWorkAsync();
    }

    public async Task ReleaseHold(string interactionId)
    {
        if (Record.Hold?.InteractionId != interactionId)
        {
            return;
        }

        Record.Hold = null;
        await CommitAsync();
        await PullWorkAsync();
    }

    public Task RefreshQueue(string queueId)
    {
        _publishedVersion.Remove(queueId);
        if (Record.Config is not null && QueueIds.Contains(queueId))
        {
            GrainFactory.GetGrain<IQueueGrain>(queueId).UpdateMember(Snapshot()).Ignore();
            _publishedVersion[queueId] = Record.Version;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Interaction selection (contract §3.3): while the agent has room, ask every one of its queues for its best
    /// candidate, take the one with the highest effective priority, and claim it from its queue.
    /// </summary>
    private async Task PullWorkAsync()
    {
        try
        {
            await PullWorkCoreAsync();
        }
        catch (RoutingException e) when (e.Code == RoutingErrorCode.Unavailable)
        {
            // The change that made room is stored; what waits stays queued and the queue's sweep offers it again.
            LogPullFailed(AgentId, e);
        }
    }

    private async Task PullWorkCoreAsync()
    {
        for (var round = 0; round < MaxPullRounds && IsReady && HasRoomForAnything(); round++)
        {
            var snapshot = Snapshot();
            var queues = QueueIds;
            var peeks = await Task.WhenAll(queues.Select(q => GrainFactory.GetGrain<IQueueGrain>(q).Peek(snapshot)));
            foreach (var q in queues)
            {
                _publishedVersion[q] = snapshot.Version;
            }

            var best = InteractionSelection.Best(
                peeks.OfType<PeekResult>().Select(p => new QueueCandidate(p.QueueId, p.InteractionId, p.BasePriority, p.AgingRate, p.Arrival, p.Sequence)),
                _clock.GetUtcNow());
            if (best is null)
            {
                break;
            }

            var claim = await GrainFactory.GetGrain<IQueueGrain>(best.Value.QueueId).Claim(snapshot, best.Value.InteractionId);
            if (claim.Granted)
            {
                await TakeOfferAsync(best.Value.QueueId, claim, Actor.Engine);
            }
        }

        PublishSnapshot();
    }

    /// <summary>Reserves capacity for a claimed interaction and makes the offer.</summary>
    private async Task<InteractionSnapshot?> TakeOfferAsync(string queueId, ClaimResult claim, Actor actor)
    {
        var entry = claim.Entry!;
        var now = _clock.GetUtcNow();
        if (_workload.CanReserve(entry.Channel) != CapacityVerdict.Fits || _workload.Find(entry.InteractionId) is not null)
        {
            // The queue's view was stale: the interaction goes back where it was, untouched.
            await GrainFactory.GetGrain<IQueueGrain>(queueId).Enqueue(entry with { Admitted = true });
            return null;
        }

        var item = _workload.Reserve(entry.InteractionId, entry.Channel, queueId, now, claim.OfferTimeout);
        Record.Work.Add(new HeldWork(item.InteractionId, item.Channel, item.QueueId, item.Phase, item.Since, item.Deadline, claim.WrapUp));
        Record.IdleSince = now;
        if (Record.Hold?.InteractionId == entry.InteractionId)
        {
            Record.Hold = null;
        }

        // The reservation counts only once it is stored (against the version this activation read).
        try
        {
            await CommitAsync();
        }
        catch (RoutingException)
        {
            // Not stored: undo it and give the interaction back to its queue, untouched, before refusing.
            _workload.Release(entry.InteractionId);
            Record.Work.RemoveAll(w => w.InteractionId == entry.InteractionId);
            await GrainFactory.GetGrain<IQueueGrain>(queueId).Enqueue(entry with { Admitted = true });
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

        if (claim.AutoAccept)
        {
            var (_, connected) = _workload.Accept(entry.InteractionId, now);
            SaveWork(connected!, keepWrapUp: true);
            MarkConnectedAt(entry.InteractionId, now);
            await CommitAsync();
        }

        var offer = new OfferView(grant.Interaction, now, item.Deadline!.Value, claim.AutoAccept, grant.RecentJourney);
        if (!claim.AutoAccept)
        {
            _offerViews[entry.InteractionId] = offer;
        }

        LogOffered(AgentId, entry.InteractionId, queueId);
        RoutingMetrics.OfferMade(queueId, entry.Channel);
        if (claim.AutoAccept)
        {
            RoutingMetrics.OfferAccepted(queueId, entry.Channel);
        }
        Notify(o => o.OnOffered(offer));
        ArmTimer();
        return grant.Interaction;
    }

    private async Task<InteractionSnapshot> FinishWrapUpAsync(string interactionId, Actor actor)
    {
        if (HeldWorkOf(interactionId) is { Phase: WorkPhase.WrapUp } done)
        {
            var now = _clock.GetUtcNow();
            var connectedAt = done.ConnectedAt ?? done.Since;
            Tracker().Handled(done.Channel, done.Since - connectedAt, now - done.Since, now);
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
        await RecordAsync("not_responding", Actor.Engine, $"offer of {item.InteractionId} timed out");
        await ReleaseHoldAsync();
        await DropAsync(item.InteractionId);
        Notify(o => o.OnWithdrawn(item.InteractionId, "timed_out"));
        await Interaction(item.InteractionId).MarkReturned(AgentId, ReturnReason.TimedOut, $"no answer within the offer timeout at {now:O}");
        PublishSnapshot();
        NotifyStatus();
    }

    private async Task ReturnOffersAsync(ReturnReason reason, string detail, string withdrawnReason)
    {
        foreach (var offer in _workload.Offers.ToList())
        {
            await DropAsync(offer.InteractionId);
            Notify(o => o.OnWithdrawn(offer.InteractionId, withdrawnReason));
            await Interaction(offer.InteractionId).MarkReturned(AgentId, reason, detail);
        }
    }

    private async Task ReleaseHoldAsync()
    {
        if (Record.Hold is not { } hold)
        {
            return;
        }

        Record.Hold = null;
        await CommitAsync();
        await GrainFactory.GetGrain<IQueueGrain>(hold.QueueId).HoldRefused(Snapshot(), hold.InteractionId);
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

        if (now >= _nextReconcile)
        {
            _nextReconcile = DateTimeOffset.MaxValue;
            foreach (var item in _workload.Items.ToList())
            {
                await ReconcileItemAsync(item);
            }
        }

        foreach (var (observer, lease) in _streams.ToList())
        {
            if (lease <= now)
            {
                _streams.Remove(observer);
                if (_streams.Count == 0)
                {
                    _streamAbsentSince = lease;
                }
            }
        }

        if (Record.SignedIn && _streams.Count == 0 && _streamAbsentSince is { } since && since + _options.OfferStreamGrace <= now)
        {
            // the contract (§3.8): the desktop is gone. Its offers go back; no new ones until it sets AVAILABLE again.
            _streamAbsentSince = null;
            if (_workload.Offers.Any() || !Record.NotResponding)
            {
                LogStreamLost(AgentId);
                Record.NotResponding = true;
                await RecordAsync("not_responding", Actor.Engine, "offer stream lost beyond the grace period");
                await ReleaseHoldAsync();
                await ReturnOffersAsync(ReturnReason.StreamLost, "offer stream lost", "stream_lost");
                await CommitAsync();
                PublishSnapshot();
            }
        }

        ArmTimer();
    }

    /// <summary>
    /// Brings one held interaction and its grain back into agreement after a failure between two writes: what the
    /// agent did last is the truth (it stores first, then tells the interaction), so it tells again; what the
    /// interaction no longer gives this agent is dropped.
    /// </summary>
    private async Task ReconcileItemAsync(WorkItem item)
    {
        var snapshot = await Interaction(item.InteractionId).GetSnapshot();
        var consulted = item.Phase == WorkPhase.Offered && snapshot?.ConsultAgentId == AgentId && snapshot.State == InteractionState.Connected;
        if (consulted)
        {
            return;
        }

        if (snapshot is null || snapshot.AgentId != AgentId || InteractionLifecycle.IsEnded(snapshot.State)
            || (item.Phase == WorkPhase.Offered && snapshot.State != InteractionState.Offered))
        {
            LogReconciled(AgentId, item.InteractionId, "dropped");
            await DropAsync(item.InteractionId);
            await PullWorkAsync();
            return;
        }

        if (item.Phase == WorkPhase.Connected && snapshot.State == InteractionState.Offered)
        {
            LogReconciled(AgentId, item.InteractionId, "accept told again");
            await Interaction(item.InteractionId).MarkConnected(AgentId);
        }
        else if (item.Phase == WorkPhase.WrapUp && snapshot.State == InteractionState.Connected)
        {
            LogReconciled(AgentId, item.InteractionId, "completion told again");
            await Interaction(item.InteractionId).MarkWrapUp(AgentId, null);
        }
    }

    private void ArmTimer()
    {
        if (_workload.Items.Count == 0)
        {
            _nextReconcile = DateTimeOffset.MaxValue;
        }
        else if (_nextReconcile == DateTimeOffset.MaxValue)
        {
            _nextReconcile = _clock.GetUtcNow() + _options.ReconcilePeriod;
        }

        var due = _workload.NextDeadline;
        if (_nextReconcile != DateTimeOffset.MaxValue && (due is null || _nextReconcile < due))
        {
            due = _nextReconcile;
        }

        foreach (var lease in _streams.Values)
        {
            due = due is null || lease < due ? lease : due;
        }

        if (Record.SignedIn && _streams.Count == 0 && _streamAbsentSince is { } since)
        {
            var graceEnd = since + _options.OfferStreamGrace;
            due = due is null || graceEnd < due ? graceEnd : due;
        }

        _timer?.ArmAt(due);
    }

    private async Task SyncMembershipAsync(ImmutableArray<string> previousQueues)
    {
        var snapshot = Snapshot();
        foreach (var removed in previousQueues.Except(QueueIds, StringComparer.Ordinal))
        {
            await GrainFactory.GetGrain<IQueueGrain>(removed).RemoveMember(AgentId);
            _publishedVersion.Remove(removed);
        }

        foreach (var queueId in QueueIds)
        {
            await GrainFactory.GetGrain<IQueueGrain>(queueId).AddMember(snapshot);
            _publishedVersion[queueId] = snapshot.Version;
        }
    }

    /// <summary>Sends the latest snapshot, one-way, to every queue that has not seen it.</summary>
    private void PublishSnapshot()
    {
        if (Record.Config is null)
        {
            return;
        }

        AgentSnapshot? snapshot = null;
        foreach (var queueId in QueueIds)
        {
            if (_publishedVersion.TryGetValue(queueId, out var seen) && seen >= Record.Version)
            {
                continue;
            }

            snapshot ??= Snapshot();
            GrainFactory.GetGrain<IQueueGrain>(queueId).UpdateMember(snapshot).Ignore();
            _publishedVersion[queueId] = snapshot.Version;
        }
    }

    private async Task DropAsync(string interactionId)
    {
        _workload.Release(interactionId);
        Record.Work.RemoveAll(w => w.InteractionId == interactionId);
        _offerViews.Remove(interactionId);
        await CommitAsync();
        ArmTimer();
    }

    private void MarkConnectedAt(string interactionId, DateTimeOffset at)
    {
        var index = Record.Work.FindIndex(w => w.InteractionId == interactionId);
        if (index >= 0)
        {
            Record.Work[index] = Record.Work[index] with { ConnectedAt = at };
        }
    }

    private void SaveWork(WorkItem item, bool keepWrapUp)
    {
        var index = Record.Work.FindIndex(w => w.InteractionId == item.InteractionId);
        var wrapUp = keepWrapUp && index >= 0 ? Record.Work[index].WrapUp : TimeSpan.Zero;
        var connectedAt = index >= 0 ? Record.Work[index].ConnectedAt : null;
        var held = new HeldWork(item.InteractionId, item.Channel, item.QueueId, item.Phase, item.Since, item.Deadline, wrapUp, connectedAt);
        if (index >= 0)
        {
            Record.Work[index] = held;
        }
        else
        {
            Record.Work.Add(held);
        }
    }

    private HeldWork? HeldWorkOf(string interactionId) => Record.Work.Find(w => w.InteractionId == interactionId);

    /// <summary>Stores the state, making the change visible to queues with a new version.</summary>
    private async Task CommitAsync()
    {
        Record.Version++;
        var now = _clock.GetUtcNow();
        var occupancy = Tracker();
        occupancy.Observe(now, Record.SignedIn, Record.Presence, _workload.ActivityWhen(Record.SignedIn, Record.NotResponding), IsOccupied());
        Record.OccupancyJson = JsonSerializer.Serialize(occupancy.Export(), Json);
        RoutingMetrics.AgentActivityIs(AgentId, _workload.ActivityWhen(Record.SignedIn, Record.NotResponding));
        await WriteDurablyAsync(_state);
        PublishOccupancy();
    }

    private OccupancyTracker Tracker() => _occupancy ??= new OccupancyTracker(_clock.GetUtcNow());

    private bool IsOccupied() => _workload.Items.Any(i => i.Phase is WorkPhase.Connected or WorkPhase.WrapUp);

    private AgentOccupancyView Occupancy()
    {
        var now = _clock.GetUtcNow();
        var figures = Tracker().Figures(now);
        var status = Status();
        return new AgentOccupancyView(
            AgentId,
            Record.SignedIn,
            Record.Presence,
            status.Activity,
            figures.StateSince,
            figures.PresenceTime.ToImmutableDictionary(),
            figures.ActivityTime.ToImmutableDictionary(),
            status.Loads,
            status.UnitsUsed,
            status.UnitsTotal,
            figures.OccupancyPercentRecent,
            figures.OccupancyPercentToday,
            [.. figures.Handling.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new ChannelHandlingView(h.Key, h.Value.Handled, h.Value.AverageHandleTime, h.Value.AverageWrapUpTime))],
            QueueIds,
            now,
            ++_viewSequence);
    }

    /// <summary>Publishes the occupancy to the live feed, throttled (see <see cref="ThrottledFeed"/>).</summary>
    private void PublishOccupancy() => (_occupancyFeed ??= new ThrottledFeed(
        PublishInterval,
        () => this.GetStreamProvider(LiveFeeds.Provider).GetStream<AgentOccupancyView>(LiveFeeds.OccupancyStream(AgentId)).OnNextAsync(Occupancy()).Ignore(),
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
    /// Appends an agent event (presence, activity, definition) to the event log, after the change it records was
    /// stored. A failed append does not refuse the change: the event waits and goes with the next one.
    /// </summary>
    private async Task RecordAsync(string type, Actor actor, string? detail)
    {
        _unlogged.Add(new RoutingEvent(_clock.GetUtcNow(), RoutingEventSubject.Agent, AgentId, Record.Version, type, null, AgentId, null, actor, null, null, detail));
        try
        {
            await _eventLog.AppendAsync([.. _unlogged]);
            _unlogged.Clear();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogEventsPending(AgentId, _unlogged.Count, e);
        }
    }

    /// <summary>Offers not yet answered, rebuilt from their interactions when this activation never made them.</summary>
    private async Task<ImmutableArray<OfferView>> OutstandingOffersAsync()
    {
        var offers = ImmutableArray.CreateBuilder<OfferView>();
        foreach (var offer in _workload.Offers.OrderBy(o => o.Since))
        {
            if (!_offerViews.TryGetValue(offer.InteractionId, out var view))
            {
                var snapshot = await Interaction(offer.InteractionId).GetSnapshot();
                if (snapshot is null)
                {
                    continue;
                }

                view = new OfferView(snapshot with { History = [] }, offer.Since, offer.Deadline ?? offer.Since, false, []);
                _offerViews[offer.InteractionId] = view;
            }

            offers.Add(view);
        }

        return offers.ToImmutable();
    }

    private void SetPresenceCore(Presence presence, DateTimeOffset now)
    {
        if (Record.Presence != presence)
        {
            Record.PresenceSince = now;
        }

        if (presence == Presence.Available && (Record.Presence != Presence.Available || Record.NotResponding))
        {
            Record.IdleSince = now;
        }

        Record.Presence = presence;
        if (presence == Presence.Available)
        {
            // the contract (§3.6): setting AVAILABLE is what ends not-responding.
            Record.NotResponding = false;
        }
    }

    private bool HasRoomForAnything() =>
        Record.Hold is { } hold
            ? true
            : _workload.Profile.Limits.Any(l => _workload.CanReserve(l.Channel) == CapacityVerdict.Fits);

    private AgentConfig RequireDefined() =>
        Record.Config ?? throw RoutingException.NotFound("agent_id", "agent", AgentId);

    private AgentAvailability Availability() =>
        new(AgentId, Record.Version, Record.SignedIn, Record.Presence, Record.NotResponding, _skills, _workload.Profile, _workload.Load, Record.IdleSince, Record.Hold?.InteractionId);

    private AgentSnapshot Snapshot() =>
        new(
            AgentId,
            Record.Version,
            Record.SignedIn,
            Record.Presence,
            Record.NotResponding,
            Record.Config?.Skills ?? ImmutableDictionary<string, int>.Empty,
            Record.Config?.Capacity ?? new CapacityConfig(1, []),
            _workload.Load.ToImmutableDictionary(StringComparer.Ordinal),
            Record.IdleSince,
            Record.Hold?.InteractionId);

    private static InteractionDemand DemandOf(QueueEntry entry, string queueId) =>
        new(entry.InteractionId, queueId, entry.Channel, entry.ToDemand(), entry.ExcludedAgents.ToHashSet(StringComparer.Ordinal));

    private AgentDetails Details() => new(Record.Config!, Status());

    private AgentStatusView Status() =>
        new(
            AgentId,
            Record.SignedIn,
            Record.Presence,
            _workload.ActivityWhen(Record.SignedIn, Record.NotResponding),
            [.. _workload.Profile.Limits.OrderBy(l => l.Channel, StringComparer.Ordinal).Select(l => new ChannelLoadView(l.Channel, _workload.Load[l.Channel], l.MaxConcurrent))],
            _workload.UnitsUsed,
            _workload.Profile.TotalUnits,
            [.. _workload.Items.OrderBy(i => i.Since).Select(i => new WorkItemView(i.InteractionId, i.Channel, i.QueueId, i.Phase, i.Since, i.Deadline))],
            Record.PresenceSince,
            Record.IdleSince);

    private void NotifyStatus()
    {
        if (_streams.Count > 0)
        {
            var status = Status();
            Notify(o => o.OnStatus(status));
        }
    }

    private void Notify(Func<IOfferObserver, Task> send)
    {
        foreach (var observer in _streams.Keys)
        {
            // One-way: a slow or vanished desktop never holds up the agent.
            send(observer).Ignore();
        }
    }

    private IInteractionGrain Interaction(string interactionId) => GrainFactory.GetGrain<IInteractionGrain>(interactionId);

    private static string Describe(WorkPhase phase) => phase switch
    {
        WorkPhase.Offered => "offered, not yet accepted",
        WorkPhase.Connected => "connected",
        _ => "in wrap-up",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} defined by {Actor} with {QueueCount} queue(s)")]
    private partial void LogDefined(string agentId, Actor actor, int queueCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent {AgentId} offered {InteractionId} from queue {QueueId}")]
    private partial void LogOffered(string agentId, string interactionId, string queueId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent {AgentId} declined a proposal of {InteractionId}: {Eligibility}")]
    private partial void LogDeclined(string agentId, string interactionId, Eligibility eligibility);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} let the offer of {InteractionId} time out and is now not responding")]
    private partial void LogTimedOut(string agentId, string interactionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} is held free for exclusive interaction {InteractionId}")]
    private partial void LogHeld(string agentId, string interactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId}: {Count} event(s) wait to be written to the event log")]
    private partial void LogEventsPending(string agentId, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} reconciled {InteractionId}: {Action}")]
    private partial void LogReconciled(string agentId, string interactionId, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} could not take waiting work now; queues will offer it again")]
    private partial void LogPullFailed(string agentId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} lost its offer stream beyond the grace period; its offers return to their queues")]
    private partial void LogStreamLost(string agentId);
}
