using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// One queue: configuration, waiting interactions and a view of its members' availability. It proposes work to the
/// agent the core's <see cref="AgentPool"/> selects, and answers agents asking for their best candidate from the
/// core's <see cref="WaitingList"/>. It never awaits an agent or an interaction: it reaches them one-way, and only
/// awaits the channel catalog, which calls nothing. Each call it serves is O(G log n) for a decision.
/// </summary>
/// <remarks>
/// A hot queue is sharded by splitting it into sibling queues that share members (for example by customer-id
/// hash, "billing-0".."billing-3") and pointing front-ends at one shard per interaction; agents pull across all
/// their queues by effective priority, so the split does not change who is served first by more than one
/// decision's worth of ordering.
/// </remarks>
public sealed partial class QueueGrain : RoutingGrain, IQueueGrain
{
    private static readonly TimeSpan ChannelCacheAge = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);
    private const int SweepBatch = 32;
    private const int MaxDispatchAttempts = 8;
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(100);

    // How fast the measured handle time follows new completions: about the last 50 carry the weight.
    private const double HandleTimeSmoothing = 0.02;

    private readonly IPersistentState<QueueRecord> _state;
    private readonly TimeProvider _clock;
    private readonly RoutingOptions _options;
    private readonly IRoutingEventLog _eventLog;
    private readonly ILogger<QueueGrain> _logger;

    private readonly Dictionary<string, QueueEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pendingAgents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, long>> _declined = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _holds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _heldAgents = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Scheduled, DateTimeOffset> _schedule = new();
    private readonly Dictionary<string, (CapacityConfig Source, CapacityProfile Profile)> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ImmutableDictionary<string, int> Source, SkillSet Skills)> _skillSets = new(StringComparer.Ordinal);

    private WaitingList _waiting = new(EffectivePriority.DefaultAgingRate);
    private AgentPool _pool = new(SelectionPolicy.LongestIdle);
    private SkillRelaxation _relaxation = SkillRelaxation.None;
    private ServiceRate _serviceRate = new(TimeSpan.FromMinutes(5));
    private ImmutableDictionary<string, ChannelConfig> _channels = ImmutableDictionary<string, ChannelConfig>.Empty;
    private DateTimeOffset _channelsFetchedAt;
    private DeadlineTimer? _timer;
    private long _sequence;
    private long _proposals;
    private QueueStatistics _statistics = new(TimeSpan.FromMinutes(15), ServiceLevelConfig.Default.Threshold);
    private readonly Dictionary<string, InteractionState> _handled = new(StringComparer.Ordinal);
    private double _handleSeconds;
    private long _handleSamples;
    private ThrottledFeed? _statsFeed;

    // Starts from the wall clock so a new activation's views outrank the previous one's.
    private long _viewSequence = DateTimeOffset.UtcNow.UtcTicks;
    private IGrainTimer? _publishTimer;

    public QueueGrain(
        [PersistentState("queue", RoutingOptions.StorageName)] IPersistentState<QueueRecord> state,
        [FromKeyedServices(RoutingOptions.ClockKey)] TimeProvider clock,
        IOptions<RoutingOptions> options,
        IRoutingEventLog eventLog,
        ILogger<QueueGrain> logger)
    {
        _state = state;
        _clock = clock;
        _options = options.Value;
        _eventLog = eventLog;
        _logger = logger;
    }

    private string QueueId => this.GetPrimaryKeyString();

    private QueueConfig? Config => _state.State.Config;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Queues stay active: their waiting list and member view live in memory (see QueueRecord).
        _timer = new DeadlineTimer(this, _clock, OnDeadlineAsync, keepAlive: true);
        _serviceRate = new ServiceRate(_options.ServiceRateWindow);
        _statistics = new QueueStatistics(_options.StatisticsWindow, Config?.ServiceLevel.Threshold ?? ServiceLevelConfig.Default.Threshold);
        if (Config is { } config)
        {
            ApplyConfig(config);
            await RefreshChannelsAsync();
            foreach (var agentId in _state.State.MemberIds)
            {
                // The view of members is soft state: ask each for a fresh snapshot.
                GrainFactory.GetGrain<IAgentGrain>(agentId).RefreshQueue(QueueId).Ignore();
            }

            // So is the waiting list: in durable mode, every interaction whose latest recorded state is "waiting
            // here" is asked to wait again, with its original arrival time.
            var waiting = await _eventLog.WaitingInAsync(QueueId, cancellationToken);
            foreach (var interactionId in waiting)
            {
                GrainFactory.GetGrain<IInteractionGrain>(interactionId).Rejoin(QueueId).Ignore();
            }

            if (waiting.Count > 0)
            {
                LogRecovering(QueueId, waiting.Count);
            }
        }

        ArmTimer();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        RoutingMetrics.QueueGone(QueueId);
        _timer?.Stop();
        return Task.CompletedTask;
    }

    public async Task<QueueConfig> Configure(QueueConfig config, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(config);
        var previous = _state.State.Config;
        _state.State.Config = config;
        _state.State.Version++;
        await WriteOrRevertAsync(() =>
        {
            _state.State.Config = previous;
            _state.State.Version--;
        });
        await AppendDurablyAsync(_eventLog, [RoutingEvent.ForQueue(_clock.GetUtcNow(), QueueId, _state.State.Version, RoutingEventType.Configured, actor, Describe(config))]);
        ApplyConfig(config);
        await RefreshChannelsAsync();
        await GrainFactory.GetGrain<IRegistryShardGrain>(Registry.ShardKey(Registry.Queues, QueueId)).Add(QueueId);
        LogConfigured(QueueId, actor, config.Policy);
        Sweep(int.MaxValue);
        ArmTimer();
        return config;
    }

    public Task<QueueConfig?> GetConfig() => Task.FromResult(Config);

    public Task<EnqueueResult> CheckAdmission(string channel, ImmutableArray<string> overflowedFrom) =>
        Task.FromResult(Admission(channel, overflowedFrom, admitted: false));

    public Task<EnqueueResult> Enqueue(QueueEntry entry)
    {
        var result = EnqueueCore(entry);
        PublishStats();
        if (entry.NewArrival)
        {
            RoutingMetrics.InteractionRouted(QueueId, entry.Channel);
        }

        return result;
    }

    private Task<EnqueueResult> EnqueueCore(QueueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_entries.ContainsKey(entry.InteractionId))
        {
            return Task.FromResult(Located(entry.InteractionId)!);
        }

        var admission = Admission(entry.Channel, entry.OverflowedFrom, entry.Admitted);
        if (admission.Outcome != EnqueueOutcome.Queued)
        {
            return Task.FromResult(admission);
        }

        if (entry.NewArrival)
        {
            _statistics.Arrived(_clock.GetUtcNow());
        }

        var now = _clock.GetUtcNow();
        var demand = entry.ToDemand();
        var steps = _relaxation.StepsDue(now - entry.Arrival);
        string? reservedFor = null;
        DateTimeOffset? reservedUntil = null;
        var preferred = entry.PreferredAgentId;
        if (preferred is not null && (entry.ExcludedAgents.Contains(preferred) || !_state.State.MemberIds.Contains(preferred)))
        {
            Note(entry.InteractionId, RoutingEventType.PreferredAgentFallback, $"preferred agent '{preferred}' is not a member of queue '{QueueId}' or rejected it", now);
            preferred = null;
        }

        var waiting = new WaitingInteraction(
            entry.InteractionId,
            entry.Channel,
            entry.BasePriority,
            entry.Arrival,
            ++_sequence,
            demand,
            _relaxation.Apply(demand, steps),
            steps,
            entry.ExcludedAgents.ToHashSet(StringComparer.Ordinal),
            null,
            null);
        _entries[entry.InteractionId] = entry;

        if (preferred is not null)
        {
            if (TryProposeToPreferred(waiting, preferred))
            {
                _waiting.Add(waiting);
                Schedule(waiting, entry);
                ArmTimer();
                return Task.FromResult(Dispatched);
            }

            var until = entry.Arrival + entry.PreferredAgentWait;
            if (until > now)
            {
                reservedFor = preferred;
                reservedUntil = until;
            }
            else
            {
                Note(entry.InteractionId, RoutingEventType.PreferredAgentFallback, $"preferred agent '{preferred}' not available; routing normally", now);
            }
        }

        waiting = waiting with { ReservedFor = reservedFor, ReservedUntil = reservedUntil };
        _waiting.Add(waiting);
        Schedule(waiting, entry);
        var dispatched = reservedFor is null && TryDispatch(waiting);
        ArmTimer();
        return Task.FromResult(dispatched
            ? Dispatched
            : Located(entry.InteractionId)!);
    }

    private EnqueueResult Admission(string channel, ImmutableArray<string> overflowedFrom, bool admitted)
    {
        if (Config is not { } config)
        {
            return Refusal(EnqueueOutcome.UnknownQueue, $"queue '{QueueId}' does not exist");
        }

        if (!config.Channels.Contains(channel))
        {
            return Refusal(EnqueueOutcome.ChannelNotAccepted, $"queue '{QueueId}' does not take channel '{channel}'");
        }

        var full = config.MaxSize > 0 && _waiting.Count >= config.MaxSize;
        if (!admitted && (config.Closed || full))
        {
            if (config.Overflow is { } overflow && !overflowedFrom.Contains(QueueId))
            {
                return new EnqueueResult(EnqueueOutcome.Overflow, 0, null, overflow.TargetQueueId, config.Closed ? "closed" : "full");
            }

            return config.Closed
                ? Refusal(EnqueueOutcome.Closed, $"queue '{QueueId}' is closed")
                : Refusal(EnqueueOutcome.Full, $"queue '{QueueId}' is full ({config.MaxSize} waiting)");
        }

        return config.PreferActiveAgent ? Admitted : Admitted with { PreferActiveAgent = false };
    }

    public Task<bool> Remove(string interactionId)
    {
        var removed = RemoveWaiting(interactionId) is not null;
        PublishStats();
        return Task.FromResult(removed);
    }

    public Task<QueueStatsView> GetStats() => Task.FromResult(Stats());

    public Task<QueueImpactView> ForecastImpact(QueueChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var before = Load();
        var after = change.Kind switch
        {
            QueueChangeKind.WaitingDelta => before with { Waiting = Math.Max(0, before.Waiting + change.WaitingDelta) },
            QueueChangeKind.AgentJoins => before with { Agents = before.Agents + 1 },
            QueueChangeKind.AgentLeaves => before with { Agents = Math.Max(0, before.Agents - 1) },
            QueueChangeKind.Close => before with { ArrivalsPerSecond = 0 },
            QueueChangeKind.Open => before with { ArrivalsPerSecond = Math.Max(before.ArrivalsPerSecond, _statistics.Figures(_clock.GetUtcNow()).ArrivalsPerSecond) },
            _ => before,
        };
        var b = QueueModel.Forecast(before);
        var a = QueueModel.Forecast(after);
        return Task.FromResult(new QueueImpactView(
            QueueId, before.Waiting, after.Waiting, b.EstimatedWait, a.EstimatedWait, b.ServiceLevelPercent, a.ServiceLevelPercent, before.Agents, after.Agents));
    }

    public Task<ImmutableArray<string>> OldestWaiting(int max, ImmutableArray<string> channels) =>
        Task.FromResult(_waiting.OldestFirst
            .Where(w => (channels.IsDefaultOrEmpty || channels.Contains(w.Channel)) && !_pending.ContainsKey(w.InteractionId))
            .Take(max)
            .Select(w => w.InteractionId)
            .ToImmutableArray());

    public Task<bool> Reprioritize(string interactionId, int priority)
    {
        if (!_waiting.TryGet(interactionId, out var waiting))
        {
            return Task.FromResult(false);
        }

        var updated = waiting with { BasePriority = priority };
        _waiting.Replace(updated);
        _entries[interactionId] = _entries[interactionId] with { BasePriority = priority };
        TryDispatch(updated);
        ArmTimer();
        PublishStats();
        return Task.FromResult(true);
    }

    public async Task<QueueConfig> SetOpen(bool open, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var config = Config ?? throw RoutingException.NotFound("queue_id", "queue", QueueId);
        if (config.Closed != open)
        {
            return config;
        }

        var changed = config with { Closed = !open };
        _state.State.Config = changed;
        _state.State.Version++;
        await WriteOrRevertAsync(() =>
        {
            _state.State.Config = config;
            _state.State.Version--;
        });
        await AppendDurablyAsync(_eventLog, [RoutingEvent.ForQueue(_clock.GetUtcNow(), QueueId, _state.State.Version, open ? RoutingEventType.Opened : RoutingEventType.Closed, actor, null)]);
        PublishStats();
        return changed;
    }

    public Task Track(InteractionProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        switch (progress.State)
        {
            case InteractionState.Offered or InteractionState.Connected or InteractionState.WrapUp:
                if (progress.State == InteractionState.Connected && progress.Waited is { } waited)
                {
                    _statistics.Answered(waited, progress.At);
                    RoutingMetrics.Answered(QueueId, waited);
                }

                _handled[progress.InteractionId] = progress.State;
                break;

            default:
                _handled.Remove(progress.InteractionId);
                if (progress.State == InteractionState.Abandoned && progress.Waited is { } abandonedAfter)
                {
                    _statistics.Abandoned(abandonedAfter, progress.At);
                }

                if (progress.HandleTime is { } handled)
                {
                    // An exponentially weighted mean: follows a change of pace without keeping every sample.
                    _handleSamples++;
                    var weight = Math.Max(HandleTimeSmoothing, 1.0 / _handleSamples);
                    _handleSeconds += weight * (handled.TotalSeconds - _handleSeconds);
                }

                break;
        }

        PublishStats();
        return Task.CompletedTask;
    }

    private QueueStatsView Stats()
    {
        var now = _clock.GetUtcNow();
        var figures = _statistics.Figures(now);
        var oldest = _waiting.OldestFirst.FirstOrDefault();
        return new QueueStatsView(
            QueueId,
            Config is { Closed: false },
            _waiting.Count,
            _handled.Values.Count(s => s == InteractionState.Offered),
            _handled.Values.Count(s => s == InteractionState.Connected),
            oldest is null ? TimeSpan.Zero : now - oldest.Arrival,
            figures.AverageWait,
            figures.ServiceLevelPercent,
            _statistics.Window,
            figures.Abandoned,
            _pool.Count,
            _pool.AvailableCount,
            WaitEstimate.For(_waiting.Count + 1, _serviceRate.PerSecond(now), _pool.ReadyCount, _pool.Count, AverageHandleTime()),
            figures.Answered,
            now,
            ++_viewSequence);
    }

    /// <summary>What the queueing model needs to know about this queue now.</summary>
    private QueueLoad Load()
    {
        var now = _clock.GetUtcNow();
        var figures = _statistics.Figures(now);
        var channels = Config?.Channels ?? [];
        var members = _pool.Members.ToList();

        // Concurrency: how many interactions of this queue's channels a member takes at once, on average.
        var concurrency = members.Count == 0
            ? 1.0
            : members.Average(m => channels.Select(c => m.Profile.LimitOf(c)?.MaxConcurrent ?? 0).DefaultIfEmpty(1).Max());
        return new QueueLoad(
            Config is { Closed: true } ? 0 : figures.ArrivalsPerSecond,
            AverageHandleTime(),
            members.Count,
            Math.Max(1, concurrency),
            _waiting.Count,
            Config?.ServiceLevel.Threshold ?? ServiceLevelConfig.Default.Threshold);
    }

    private TimeSpan AverageHandleTime() =>
        _handleSamples == 0 ? _options.AssumedHandleTime : TimeSpan.FromSeconds(_handleSeconds);

    /// <summary>Publishes the statistics to the live feed, throttled (see <see cref="ThrottledFeed"/>).</summary>
    private void PublishStats()
    {
        if (Config is null)
        {
            return;
        }

        RoutingMetrics.QueueDepth(QueueId, _waiting.Count);
        (_statsFeed ??= new ThrottledFeed(
            PublishInterval,
            () => this.GetStreamProvider(LiveFeeds.Provider).GetStream<QueueStatsView>(LiveFeeds.QueueStatsStream(QueueId)).OnNextAsync(Stats()).Ignore(),
            ScheduleFeedFlush)).Changed();
    }

    private void ScheduleFeedFlush(TimeSpan delay)
    {
        _publishTimer ??= this.RegisterGrainTimer(
            _ =>
            {
                _statsFeed?.Flush();
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { Interleave = false });
        _publishTimer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    public Task<EnqueueResult?> Locate(string interactionId) => Task.FromResult(Located(interactionId));

    public Task<PeekResult?> Peek(AgentSnapshot agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var availability = UpsertMember(agent);
        if (availability is null || Config is not { } config)
        {
            return Task.FromResult<PeekResult?>(null);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var best = _waiting.BestFor(availability, w => IsPromisedToAnother(w.InteractionId, agent.AgentId));
        RoutingMetrics.Decided(QueueId, started);
        return Task.FromResult(best is null
            ? null
            : new PeekResult(QueueId, best.InteractionId, best.BasePriority, config.AgingRate, best.Arrival, best.Sequence));
    }

    public async Task<ClaimResult> Claim(AgentSnapshot agent, string interactionId)
    {
        ArgumentNullException.ThrowIfNull(agent);
        UpsertMember(agent);
        if (Config is not { } config || !_waiting.TryGet(interactionId, out var waiting))
        {
            return ClaimResult.Refused("no longer waiting");
        }

        if (IsPromisedToAnother(interactionId, agent.AgentId))
        {
            return ClaimResult.Refused("proposed to another agent");
        }

        if (waiting.ReservedFor is { } reserved && reserved != agent.AgentId)
        {
            return ClaimResult.Refused("waiting for its preferred agent");
        }

        if (waiting.ExcludedAgents.Contains(agent.AgentId))
        {
            return ClaimResult.Refused("rejected by this agent before");
        }

        var entry = RemoveWaiting(interactionId)!;
        var now = _clock.GetUtcNow();
        _serviceRate.RecordDeparture(now);
        if (now - _channelsFetchedAt > ChannelCacheAge)
        {
            await RefreshChannelsAsync();
        }

        var channel = _channels.GetValueOrDefault(entry.Channel);
        LogClaimed(QueueId, interactionId, agent.AgentId);
        PublishStats();
        return new ClaimResult(
            true,
            entry with { PreferredAgentId = waiting.ReservedFor ?? entry.PreferredAgentId },
            config.OfferTimeout > TimeSpan.Zero ? config.OfferTimeout : QueueConfig.DefaultOfferTimeout,
            channel?.AutoAccept ?? false,
            config.WrapUp ?? channel?.WrapUp ?? TimeSpan.Zero,
            null);
    }

    public Task Decline(AgentSnapshot agent, string interactionId, long proposalId)
    {
        ArgumentNullException.ThrowIfNull(agent);
        UpsertMember(agent);
        if (_pending.TryGetValue(interactionId, out var pending) && pending.ProposalId == proposalId)
        {
            ClearPending(interactionId);
            RememberDecline(interactionId, agent);
        }

        if (_waiting.TryGet(interactionId, out var waiting))
        {
            TryDispatch(waiting);
        }

        ArmTimer();
        return Task.CompletedTask;
    }

    public Task HoldRefused(AgentSnapshot agent, string interactionId)
    {
        ArgumentNullException.ThrowIfNull(agent);
        UpsertMember(agent);
        if (_holds.TryGetValue(interactionId, out var held) && held == agent.AgentId)
        {
            _holds.Remove(interactionId);
            _heldAgents.Remove(held);
            RememberDecline(interactionId, agent);
        }

        if (_waiting.TryGet(interactionId, out var waiting))
        {
            TryDispatch(waiting);
        }

        return Task.CompletedTask;
    }

    public async Task AddMember(AgentSnapshot agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (_state.State.MemberIds.Add(agent.AgentId))
        {
            await WriteOrRevertAsync(() => _state.State.MemberIds.Remove(agent.AgentId));
        }

        UpsertMember(agent);
    }

    public async Task RemoveMember(string agentId)
    {
        if (_state.State.MemberIds.Remove(agentId))
        {
            await WriteOrRevertAsync(() => _state.State.MemberIds.Add(agentId));
        }

        ForgetAgent(agentId);
    }

    /// <summary>
    /// Stores the configuration and members, or undoes the change and refuses with UNAVAILABLE. Unlike other
    /// grains a queue is not dropped on a failed write: its waiting list lives in memory, and the change that
    /// failed is simply not made.
    /// </summary>
    private async Task WriteOrRevertAsync(Action revert)
    {
        try
        {
            await _state.WriteStateAsync();
        }
        catch (Exception e) when (e is not RoutingException)
        {
            revert();
            if (e is InconsistentStateException)
            {
                // Another activation wrote meanwhile: this one's view is stale.
                DeactivateOnIdle();
            }

            throw Unavailable(e);
        }
    }

    public Task<ImmutableArray<string>> GetMemberIds() =>
        Task.FromResult(_state.State.MemberIds.Order(StringComparer.Ordinal).ToImmutableArray());

    public Task UpdateMember(AgentSnapshot agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var before = _snapshots.GetValueOrDefault(agent.AgentId);
        var availability = UpsertMember(agent);
        if (availability is not null && !availability.IsReady)
        {
            // An agent that stopped being ready will decline what it was proposed; don't wait for that.
            if (_pendingAgents.TryGetValue(agent.AgentId, out var pendingId) && _waiting.TryGet(pendingId, out var w))
            {
                ClearPending(pendingId);
                TryDispatch(w);
            }
        }

        if (availability is null || (before?.HeldFor is not null && availability.HeldFor is null))
        {
            ReassignHoldsOf(agent.AgentId);
        }

        PublishStats();
        return Task.CompletedTask;
    }

    /// <summary>Proposes a waiting interaction to the best eligible agent, or holds one free for it (contract §3.11).</summary>
    private bool TryDispatch(WaitingInteraction waiting)
    {
        if (_pending.ContainsKey(waiting.InteractionId) || !_waiting.Contains(waiting.InteractionId))
        {
            return _pending.ContainsKey(waiting.InteractionId);
        }

        if (waiting.ReservedFor is { } preferred)
        {
            return TryProposeToPreferred(waiting, preferred);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var attempt = 0; attempt < MaxDispatchAttempts; attempt++)
        {
            var agent = _pool.SelectFor(waiting.Channel, waiting.Demand, id =>
                waiting.ExcludedAgents.Contains(id) || _pendingAgents.ContainsKey(id) || Declined(waiting.InteractionId, id));
            if (agent is null)
            {
                break;
            }

            // The agent gets its best waiting interaction, which may be an older one than the one that triggered
            // this: an arrival never jumps the line for an agent (contract §3.3).
            var best = _waiting.BestFor(agent, w => _pending.ContainsKey(w.InteractionId) || Declined(w.InteractionId, agent.AgentId)) ?? waiting;
            RoutingMetrics.Decided(QueueId, started);
            Propose(best, agent.AgentId);
            if (best.InteractionId == waiting.InteractionId)
            {
                return true;
            }
        }

        TryHold(waiting);
        return false;
    }

    private bool TryProposeToPreferred(WaitingInteraction waiting, string agentId)
    {
        var agent = _pool.Get(agentId);
        if (agent is null || _pendingAgents.ContainsKey(agentId) || Declined(waiting.InteractionId, agentId))
        {
            return false;
        }

        var demand = waiting.ToDemand(QueueId) with { ReservedFor = agentId };
        if (EligibilityRules.Check(agent, MemberOfThisQueue, demand) != Eligibility.Eligible)
        {
            return false;
        }

        Propose(waiting, agentId);
        return true;
    }

    private void Propose(WaitingInteraction waiting, string agentId)
    {
        var now = _clock.GetUtcNow();
        var proposalId = ++_proposals;
        _pending[waiting.InteractionId] = new Pending(agentId, proposalId);
        _pendingAgents[agentId] = waiting.InteractionId;
        _pool.RecordSelection(agentId);
        _schedule.Enqueue(new Scheduled(ScheduledKind.ProposalTimeout, waiting.InteractionId, proposalId), now + _options.ProposalTimeout);
        // The agent checks the demand in force now, after any relaxation step, not the one first requested.
        var entry = _entries[waiting.InteractionId] with
        {
            ExcludedAgents = [.. waiting.ExcludedAgents],
            RequiredSkills = [.. waiting.Demand.Required.Select(r => new RequirementConfig(r.Skill, r.MinimumLevel))],
        };
        GrainFactory.GetGrain<IAgentGrain>(agentId).Propose(new Proposal(QueueId, entry, proposalId)).Ignore();
    }

    private void TryHold(WaitingInteraction waiting)
    {
        if (_holds.ContainsKey(waiting.InteractionId) || waiting.ReservedFor is not null)
        {
            return;
        }

        var candidate = _pool.SelectHoldCandidate(waiting.Channel, waiting.Demand, id =>
            waiting.ExcludedAgents.Contains(id) || _heldAgents.ContainsKey(id) || _pendingAgents.ContainsKey(id) || Declined(waiting.InteractionId, id));
        if (candidate is null)
        {
            return;
        }

        _holds[waiting.InteractionId] = candidate.AgentId;
        _heldAgents[candidate.AgentId] = waiting.InteractionId;
        GrainFactory.GetGrain<IAgentGrain>(candidate.AgentId).Hold(QueueId, waiting.InteractionId).Ignore();
        Note(waiting.InteractionId, RoutingEventType.AgentHeld, $"agent '{candidate.AgentId}' takes no new work until it can take this {waiting.Channel} interaction", _clock.GetUtcNow());
    }

    private void ReassignHoldsOf(string agentId)
    {
        if (_heldAgents.Remove(agentId, out var interactionId))
        {
            _holds.Remove(interactionId);
            if (_waiting.TryGet(interactionId, out var waiting))
            {
                TryDispatch(waiting);
            }
        }
    }

    private QueueEntry? RemoveWaiting(string interactionId)
    {
        if (_waiting.Remove(interactionId) is null)
        {
            return null;
        }

        _entries.Remove(interactionId, out var entry);
        ClearPending(interactionId);
        _declined.Remove(interactionId);
        if (_holds.Remove(interactionId, out var heldAgent))
        {
            _heldAgents.Remove(heldAgent);
            GrainFactory.GetGrain<IAgentGrain>(heldAgent).ReleaseHold(interactionId).Ignore();
        }

        return entry;
    }

    private void ClearPending(string interactionId)
    {
        if (_pending.Remove(interactionId, out var pending) && _pendingAgents.TryGetValue(pending.AgentId, out var pendingFor) && pendingFor == interactionId)
        {
            _pendingAgents.Remove(pending.AgentId);
        }
    }

    private bool IsPromisedToAnother(string interactionId, string agentId) =>
        _pending.TryGetValue(interactionId, out var pending) && pending.AgentId != agentId;

    private void RememberDecline(string interactionId, AgentSnapshot agent)
    {
        if (!_declined.TryGetValue(interactionId, out var byAgent))
        {
            byAgent = new Dictionary<string, long>(StringComparer.Ordinal);
            _declined[interactionId] = byAgent;
        }

        byAgent[agent.AgentId] = agent.Version;
    }

    /// <summary>An agent that declined is passed over until its state changes.</summary>
    private bool Declined(string interactionId, string agentId) =>
        _declined.TryGetValue(interactionId, out var byAgent)
        && byAgent.TryGetValue(agentId, out var version)
        && _snapshots.TryGetValue(agentId, out var current)
        && current.Version <= version;

    private AgentAvailability? UpsertMember(AgentSnapshot snapshot)
    {
        if (!_state.State.MemberIds.Contains(snapshot.AgentId))
        {
            return null;
        }

        if (_snapshots.TryGetValue(snapshot.AgentId, out var known) && known.Version > snapshot.Version)
        {
            return _pool.Get(snapshot.AgentId);
        }

        _snapshots[snapshot.AgentId] = snapshot;
        var availability = ToAvailability(snapshot);
        _pool.Upsert(availability);

        // Agents eligible and available are part of the statistics (throttled, so this costs nothing per call).
        PublishStats();
        if (!snapshot.SignedIn)
        {
            ForgetPending(snapshot.AgentId);
        }

        return availability;
    }

    private void ForgetAgent(string agentId)
    {
        _snapshots.Remove(agentId);
        _profiles.Remove(agentId);
        _skillSets.Remove(agentId);
        _pool.Remove(agentId);
        ForgetPending(agentId);
        ReassignHoldsOf(agentId);
    }

    private void ForgetPending(string agentId)
    {
        if (_pendingAgents.TryGetValue(agentId, out var interactionId))
        {
            ClearPending(interactionId);
            if (_waiting.TryGet(interactionId, out var waiting))
            {
                TryDispatch(waiting);
            }
        }
    }

    private AgentAvailability ToAvailability(AgentSnapshot s)
    {
        // Profiles and skills rarely change: reuse the parsed ones while the agent sends the same instance.
        if (!_profiles.TryGetValue(s.AgentId, out var profile) || !ReferenceEquals(profile.Source, s.Capacity) && profile.Source != s.Capacity)
        {
            profile = (s.Capacity, s.Capacity.ToProfile());
            _profiles[s.AgentId] = profile;
        }

        if (!_skillSets.TryGetValue(s.AgentId, out var skills) || !ReferenceEquals(skills.Source, s.Skills))
        {
            skills = (s.Skills, new SkillSet(s.Skills));
            _skillSets[s.AgentId] = skills;
        }

        return new AgentAvailability(
            s.AgentId, s.Version, s.SignedIn, s.Presence, s.NotResponding, skills.Skills, profile.Profile, AgentLoad.From(s.Load), s.IdleSince, s.HeldFor);
    }

    private IReadOnlySet<string> MemberOfThisQueue => field ??= new HashSet<string>(StringComparer.Ordinal) { QueueId };

    private void ApplyConfig(QueueConfig config)
    {
        _relaxation = config.ToRelaxation();
        _statistics.ChangeThreshold(config.ServiceLevel.Threshold);
        if (_pool.Policy != config.Policy)
        {
            _pool = new AgentPool(config.Policy);
            foreach (var snapshot in _snapshots.Values)
            {
                _pool.Upsert(ToAvailability(snapshot));
            }
        }

        if (_waiting.AgingRate != config.AgingRate)
        {
            var rebuilt = new WaitingList(config.AgingRate);
            foreach (var item in _waiting.Items)
            {
                rebuilt.Add(item);
            }

            _waiting = rebuilt;
        }
    }

    private async Task RefreshChannelsAsync()
    {
        _channels = await GrainFactory.GetGrain<IChannelCatalogGrain>(ChannelCatalogGrain.Key).GetAll();
        _channelsFetchedAt = _clock.GetUtcNow();
    }

    private void Schedule(WaitingInteraction waiting, QueueEntry entry)
    {
        if (_relaxation.NextStepAt(waiting.RelaxationStepsApplied) is { } nextStep)
        {
            _schedule.Enqueue(new Scheduled(ScheduledKind.Relaxation, waiting.InteractionId, 0), waiting.Arrival + nextStep);
        }

        if (waiting.ReservedUntil is { } until)
        {
            _schedule.Enqueue(new Scheduled(ScheduledKind.PreferredWaitEnd, waiting.InteractionId, 0), until);
        }

        if (Config?.Overflow is { After: var after } overflow && after > TimeSpan.Zero && !entry.OverflowedFrom.Contains(QueueId) && overflow.TargetQueueId != QueueId)
        {
            _schedule.Enqueue(new Scheduled(ScheduledKind.Overflow, waiting.InteractionId, 0), waiting.Arrival + after);
        }
    }

    private Task OnDeadlineAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        while (_schedule.TryPeek(out var work, out var due) && due <= now)
        {
            _schedule.Dequeue();
            Run(work, now);
        }

        Sweep(SweepBatch);
        ArmTimer();
        return Task.CompletedTask;
    }

    private void Run(Scheduled work, DateTimeOffset now)
    {
        if (!_waiting.TryGet(work.InteractionId, out var waiting))
        {
            return;
        }

        switch (work.Kind)
        {
            case ScheduledKind.Relaxation:
                var due = _relaxation.StepsDue(now - waiting.Arrival);
                if (due > waiting.RelaxationStepsApplied)
                {
                    var relaxed = waiting with { Demand = _relaxation.Apply(waiting.BaseDemand, due), RelaxationStepsApplied = due };
                    _waiting.Replace(relaxed);
                    Note(waiting.InteractionId, RoutingEventType.Relaxed, $"skill requirements now {Describe(relaxed.Demand)} (step {due})", now);
                    if (_relaxation.NextStepAt(due) is { } next)
                    {
                        _schedule.Enqueue(work, waiting.Arrival + next);
                    }

                    if (_holds.Remove(waiting.InteractionId, out var heldAgent))
                    {
                        _heldAgents.Remove(heldAgent);
                        GrainFactory.GetGrain<IAgentGrain>(heldAgent).ReleaseHold(waiting.InteractionId).Ignore();
                    }

                    TryDispatch(relaxed);
                }

                break;

            case ScheduledKind.PreferredWaitEnd when waiting.ReservedFor is not null && waiting.ReservedUntil <= now:
                var released = waiting with { ReservedFor = null, ReservedUntil = null };
                _waiting.Replace(released);
                Note(waiting.InteractionId, RoutingEventType.PreferredAgentFallback, $"preferred agent '{waiting.ReservedFor}' did not become available in time; routing normally", now);
                if (_pending.TryGetValue(waiting.InteractionId, out var p) && p.AgentId == waiting.ReservedFor)
                {
                    break;
                }

                TryDispatch(released);
                break;

            case ScheduledKind.Overflow when Config?.Overflow is { } overflow && !_pending.ContainsKey(waiting.InteractionId):
                if (overflow.Mode == OverflowMode.Instead)
                {
                    RemoveWaiting(waiting.InteractionId);
                }

                LogOverflow(QueueId, waiting.InteractionId, overflow.TargetQueueId);
                GrainFactory.GetGrain<IInteractionGrain>(waiting.InteractionId).OverflowTo(QueueId, overflow.TargetQueueId, overflow.Mode).Ignore();
                break;

            case ScheduledKind.ProposalTimeout when _pending.TryGetValue(waiting.InteractionId, out var pending) && pending.ProposalId == work.ProposalId:
                ClearPending(waiting.InteractionId);
                TryDispatch(waiting);
                break;
        }
    }

    /// <summary>A safety net against lost messages and stale views: retry the oldest waiting interactions.</summary>
    private void Sweep(int batch)
    {
        if (_pool.ReadyCount == 0)
        {
            return;
        }

        foreach (var waiting in _waiting.OldestFirst.Where(w => !_pending.ContainsKey(w.InteractionId)).Take(batch).ToList())
        {
            TryDispatch(waiting);
        }
    }

    private void ArmTimer()
    {
        DateTimeOffset? due = _schedule.TryPeek(out _, out var next) ? next : null;
        if (_waiting.Count > 0)
        {
            var sweep = _clock.GetUtcNow() + SweepInterval;
            due = due is null || sweep < due ? sweep : due;
        }

        _timer?.ArmAt(due);
    }

    private EnqueueResult? Located(string interactionId)
    {
        if (!_waiting.Contains(interactionId))
        {
            return null;
        }

        var position = _waiting.PositionOf(interactionId);
        var wait = WaitEstimate.For(position, _serviceRate.PerSecond(_clock.GetUtcNow()), _pool.ReadyCount, _pool.Count, _options.AssumedHandleTime);
        return new EnqueueResult(EnqueueOutcome.Queued, position, wait, null, null);
    }

    private void Note(string interactionId, RoutingEventType type, string detail, DateTimeOffset now) =>
        GrainFactory.GetGrain<IInteractionGrain>(interactionId).NoteFromQueue(new QueueNote(type, QueueId, detail, now)).Ignore();

    /// <summary>An offer is on its way: first in line, nothing to wait for but the agent's answer.</summary>
    private static EnqueueResult Dispatched { get; } = new(EnqueueOutcome.Dispatched, 1, TimeSpan.Zero, null, null);

    private static EnqueueResult Admitted { get; } = new(EnqueueOutcome.Queued, 0, null, null, null);

    private static EnqueueResult Refusal(EnqueueOutcome outcome, string message) => new(outcome, 0, null, null, message);

    private static string Describe(QueueConfig c) =>
        $"channels={string.Join(',', c.Channels)}; policy={c.Policy}; closed={c.Closed}; max_size={c.MaxSize}; offer_timeout={c.OfferTimeout}; aging_rate={c.AgingRate}"
        + (c.Overflow is { } o ? $"; overflow={o.TargetQueueId}/{o.Mode}/{o.After}" : string.Empty);

    private static string Describe(SkillDemand demand) =>
        demand.Required.Count == 0 ? "none" : string.Join(", ", demand.Required.Select(r => $"{r.Skill}>={r.MinimumLevel}"));

    private sealed record Pending(string AgentId, long ProposalId);

    private enum ScheduledKind
    {
        Relaxation,
        PreferredWaitEnd,
        Overflow,
        ProposalTimeout,
    }

    private sealed record Scheduled(ScheduledKind Kind, string InteractionId, long ProposalId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {QueueId} configured by {Actor} with policy {Policy}")]
    private partial void LogConfigured(string queueId, Actor actor, SelectionPolicy policy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {QueueId} reactivated: asking {Count} waiting interaction(s) to rejoin")]
    private partial void LogRecovering(string queueId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue {QueueId}: {InteractionId} claimed by agent {AgentId}")]
    private partial void LogClaimed(string queueId, string interactionId, string agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {QueueId}: {InteractionId} overflows to {TargetQueueId}")]
    private partial void LogOverflow(string queueId, string interactionId, string targetQueueId);
}
