using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Queues;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// One queue: configuration, waiting interactions and a view of its members' availability. It proposes work to the
/// agent the core's <see cref="AgentPool"/> selects, and answers agents asking for their best candidate from the
/// core's <see cref="WaitingList"/>. It never awaits an agent or an interaction: it reaches them one-way, and only
/// awaits the channel catalog, which calls nothing. Each call it serves is O(G log n) for a decision.
/// </summary>
/// <remarks>
/// <para>
/// The grain owns the stored state (configuration, members) and the turn; plain collaborators in
/// <c>Queues/</c> do the work: what waits, who serves, matching the two, the scheduled work, the statistics.
/// </para>
/// <para>
/// A hot queue is split into <see cref="QueueConfig.Shards"/> grains of this class (see <see cref="QueueShardKey"/>):
/// each holds the interactions whose id hashes to it and a view of every member, and answers for itself alone. The
/// grain keyed by the queue id is shard 0 and speaks for the queue (its events, its registry entry); callers that need
/// the whole queue ask every shard (<see cref="QueueShards"/>), and an agent takes the best of the shards'
/// bests, which is the best of their union (<see cref="InteractionSelection"/>).
/// </para>
/// </remarks>
public sealed partial class QueueGrain : RoutingGrain, IQueueGrain
{
    private static readonly TimeSpan ChannelCacheAge = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);
    private const int SweepBatch = 32;
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(100);

    private readonly IPersistentState<QueueRecord> _state;
    private readonly TimeProvider _clock;
    private readonly RoutingOptions _options;
    private readonly IRoutingEventLog _eventLog;
    private readonly ILogger<QueueGrain> _logger;

    private readonly WaitingRoom _room = new();
    private readonly MemberRoster _roster = new(SelectionPolicy.LongestIdle);
    private readonly QueueTimetable _timetable = new();
    private readonly QueueMeasurements _measurements;
    private QueueDispatcher _dispatcher = null!;
    private WaitPlanner _planner = null!;
    private ChannelCache _channels = null!;
    private DeadlineTimer? _timer;
    private ThrottledFeed _statsFeed = null!;
    private EventOutbox? _outbox;
    private QueueRecorder? _recorder;
    private QueueShardKey? _key;
    private QueueMessenger _messenger = null!;

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
        _measurements = new QueueMeasurements(_options.StatisticsWindow, _options.ServiceRateWindow, ServiceLevelConfig.Default.Threshold, _options.AssumedHandleTime);
    }

    /// <summary>Which shard of which queue this grain is (shard 0, the queue id itself, when not sharded).</summary>
    private QueueShardKey Key => _key ??= QueueShardKey.Parse(this.GetPrimaryKeyString());

    private string QueueId => Key.QueueId;

    private QueueConfig? Config => _state.State.Config;

    private EventOutbox Outbox => _outbox ??= new EventOutbox(_eventLog, () => _state.State.UnloggedEvents, _logger, $"Queue {QueueId}");

    private QueueRecorder Recorder => _recorder ??= new QueueRecorder(Key, () => _state.State, () => _state.WriteStateAsync(), Outbox, _clock, DeactivateOnIdle, Unavailable);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Queues stay active: their waiting list and member view live in memory (see QueueRecord).
        await Outbox.FlushAsync();
        _timer = new DeadlineTimer(this, _clock, OnDeadlineAsync, keepAlive: true, ServiceProvider.GetRequiredService<ArmedTimers>());
        var messenger = _messenger = new QueueMessenger(GrainFactory, Key);
        _room.UseShard(Key.Shard);
        _dispatcher = new QueueDispatcher(QueueId, _room, _roster, _timetable, messenger, _clock, _options.ProposalTimeout, Key.Shard);
        _planner = new WaitPlanner(QueueId, _room, _timetable, _dispatcher, messenger);
        _statsFeed = this.LiveFeed(PublishInterval, LiveFeeds.QueueStatsStream(QueueId), Stats);
        _channels = new ChannelCache(GrainFactory.GetGrain<IChannelCatalogGrain>(ChannelCatalogGrain.Key).GetAll, _clock, ChannelCacheAge);
        if (Config is { } config)
        {
            ApplyConfig(config);
            await _channels.RefreshAsync();

            // The view of members is soft state: ask each for a fresh snapshot.
            foreach (var agentId in _state.State.MemberIds)
            {
                messenger.RefreshMember(agentId);
            }

            // So is the waiting list: in durable mode, it is rebuilt from the log's index of latest states, each
            // entry with its original arrival time, without activating the interactions.
            // A shard takes back only the interactions that hash to it.
            var waiting = (await _eventLog.WaitingEntriesInAsync(QueueId, cancellationToken)).Where(w => Key.Holds(w.InteractionId, config.Shards)).ToList();
            var restored = WaitingLineRestore.Restore(waiting, entry => Admit(entry), messenger);
            if (waiting.Count > 0)
            {
                LogRecovering(QueueId, restored, waiting.Count - restored);
            }
        }

        ArmTimer();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        RoutingMetrics.QueueGone(this.GetPrimaryKeyString());
        _timer?.Stop();
        return Task.CompletedTask;
    }

    public async Task<QueueConfig> Configure(QueueConfig config, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(config);
        var reshard = Config is { } previous && previous.Shards != config.Shards;
        if (reshard && _room.Count > 0)
        {
            // Where a waiting interaction is follows from the shard count: it may change only with nobody waiting.
            throw RoutingException.Precondition("shards", $"queue '{QueueId}' has {_room.Count} interactions waiting; shards can change only while none waits");
        }

        await Recorder.StoreConfigAsync(config, RoutingEventType.Configured, actor, QueueRecorder.Describe(config));
        ApplyConfig(config);
        await _channels.RefreshAsync();
        if (Key.Shard == 0)
        {
            await GrainFactory.GetGrain<IRegistryShardGrain>(Registry.ShardKey(Registry.Queues, QueueId)).Add(QueueId);
            if (reshard)
            {
                // Members join (or leave) the shards that came (or went).
                RefreshMembers();
            }
        }

        LogConfigured(QueueId, actor, config.Policy);
        _dispatcher.Sweep(int.MaxValue);
        ArmTimer();
        return config;
    }

    public Task<QueueConfig?> GetConfig() => Task.FromResult(Config);

    public Task<int> Recover() => Task.FromResult(_room.Count);

    public Task<EnqueueResult> CheckAdmission(string channel, ImmutableArray<string> overflowedFrom) =>
        Task.FromResult(QueueAnswers.Admission(QueueId, Config, _room.Count, channel, overflowedFrom, admitted: false));

    public Task<EnqueueResult> Enqueue(QueueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var shards = Config?.Shards ?? 1;
        if (!Key.Holds(entry.InteractionId, shards))
        {
            // The caller's shard count was stale (the queue was resharded): on to its shard, one-way.
            _messenger.Forward(QueueShardKey.For(QueueId, entry.InteractionId, shards).GrainKey, entry);
            return Task.FromResult(QueueAnswers.Forwarded(shards));
        }

        var result = _room.Contains(entry.InteractionId) ? Located(entry.InteractionId)! : Admit(entry);
        result = shards > 1 ? result with { Shards = shards } : result;
        PublishStats();
        if (entry.NewArrival)
        {
            RoutingMetrics.InteractionRouted(QueueId, entry.Channel);
        }

        return Task.FromResult(result);
    }

    private EnqueueResult Admit(QueueEntry entry)
    {
        var admission = QueueAnswers.Admission(QueueId, Config, _room.Count, entry.Channel, entry.OverflowedFrom, entry.Admitted);
        if (admission.Outcome != EnqueueOutcome.Queued)
        {
            return admission;
        }

        if (entry.NewArrival)
        {
            _measurements.Arrived(_clock.GetUtcNow());
        }

        var dispatched = _planner.Admit(entry, _state.State.MemberIds.Contains, _clock.GetUtcNow());
        ArmTimer();
        return dispatched ? QueueAnswers.Dispatched : Located(entry.InteractionId)!;
    }

    public Task<bool> Remove(string interactionId)
    {
        var removed = _dispatcher.Remove(interactionId) is not null;
        PublishStats();
        return Task.FromResult(removed);
    }

    public Task<QueueStatsView> GetStats() => Task.FromResult(Stats());

    public Task<QueueImpactView> ForecastImpact(QueueChange change) =>
        Task.FromResult(_measurements.Impact(QueueId, change, Config, _room.Count, _roster.Pool, _clock.GetUtcNow()));

    public Task<ImmutableArray<string>> OldestWaiting(int max, ImmutableArray<string> channels) =>
        Task.FromResult(_dispatcher.OldestUnproposed(max, channels));

    public Task<bool> Reprioritize(string interactionId, int priority)
    {
        if (_room.Reprioritize(interactionId, priority) is not { } updated)
        {
            return Task.FromResult(false);
        }

        _dispatcher.TryDispatch(updated);
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
        await Recorder.StoreConfigAsync(changed, open ? RoutingEventType.Opened : RoutingEventType.Closed, actor, null);
        PublishStats();
        return changed;
    }

    public Task Track(InteractionProgress progress)
    {
        if (_measurements.Track(progress) is { } waited)
        {
            RoutingMetrics.Answered(QueueId, waited);
        }

        PublishStats();
        return Task.CompletedTask;
    }

    private QueueStatsView Stats() => _measurements.View(QueueId, Config, _room.List, _roster.Pool, _clock.GetUtcNow());

    /// <summary>Publishes the statistics to the live feed, throttled (see <see cref="ThrottledFeed"/>).</summary>
    private void PublishStats()
    {
        if (Config is null)
        {
            return;
        }

        RoutingMetrics.QueueDepth(this.GetPrimaryKeyString(), _room.Count);
        if (Key.Shard == 0)
        {
            // The queue's live feed is shard 0's: one view per queue, never two shards' views racing.
            _statsFeed.Changed();
        }
    }

    public Task<EnqueueResult?> Locate(string interactionId) => Task.FromResult(Located(interactionId));

    public Task<int> CountAhead(string channel, int basePriority, DateTimeOffset arrival) =>
        Task.FromResult(_room.List.CountAhead(channel, basePriority, arrival));

    public Task<QueueCandidate?> Peek(AgentSnapshot agent) =>
        Task.FromResult<QueueCandidate?>(BestFor(agent) is { } best
            ? new QueueCandidate(QueueId, best.InteractionId, best.BasePriority, Config!.AgingRate, best.Arrival, best.Sequence, Key.Shard)
            : null);

    public async Task<ClaimResult> Claim(AgentSnapshot agent, string interactionId)
    {
        UpsertMember(agent);
        return Config is not null && _room.TryGet(interactionId, out var waiting)
            ? await ClaimAsync(waiting, agent.AgentId)
            : ClaimResult.Refused("no longer waiting");
    }

    public async Task<ClaimResult?> ClaimBest(AgentSnapshot agent) =>
        BestFor(agent) is { } best ? await ClaimAsync(best, agent.AgentId) : null;

    /// <summary>Takes the member's snapshot and answers the best waiting interaction for it, or null.</summary>
    private WaitingInteraction? BestFor(AgentSnapshot agent) =>
        UpsertMember(agent) is { } availability && Config is not null ? _dispatcher.BestFor(availability) : null;

    /// <summary>Gives a waiting interaction to the agent, unless the dispatcher's rules refuse it.</summary>
    private async Task<ClaimResult> ClaimAsync(WaitingInteraction waiting, string agentId)
    {
        var config = Config!;
        if (_dispatcher.ClaimRefusal(waiting, agentId) is { } refusal)
        {
            return ClaimResult.Refused(refusal);
        }

        var entry = _dispatcher.Remove(waiting.InteractionId)!;
        _measurements.Departed(_clock.GetUtcNow());
        var channel = await _channels.GetAsync(entry.Channel);
        LogClaimed(QueueId, waiting.InteractionId, agentId);
        PublishStats();
        return QueueAnswers.Granted(entry, waiting, config, channel);
    }

    public Task Decline(AgentSnapshot agent, string interactionId, long proposalId)
    {
        UpsertMember(agent);
        _dispatcher.Declined(agent, interactionId, proposalId);
        ArmTimer();
        return Task.CompletedTask;
    }

    public Task HoldRefused(AgentSnapshot agent, string interactionId)
    {
        UpsertMember(agent);
        _dispatcher.HoldRefused(agent, interactionId);
        return Task.CompletedTask;
    }

    public async Task AddMember(AgentSnapshot agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (_state.State.MemberIds.Add(agent.AgentId))
        {
            await Recorder.WriteOrRevertAsync(() => _state.State.MemberIds.Remove(agent.AgentId));
        }

        UpsertMember(agent);
    }

    public async Task RemoveMember(string agentId)
    {
        if (_state.State.MemberIds.Remove(agentId))
        {
            await Recorder.WriteOrRevertAsync(() => _state.State.MemberIds.Add(agentId));
        }

        _dispatcher.MemberLeft(agentId);
    }

    public Task<ImmutableArray<string>> GetMemberIds() =>
        Task.FromResult(_state.State.MemberIds.Order(StringComparer.Ordinal).ToImmutableArray());

    public Task UpdateMember(AgentSnapshot agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var before = _roster.SnapshotOf(agent.AgentId);
        var availability = UpsertMember(agent);
        _dispatcher.MemberChanged(agent.AgentId, before, availability);
        PublishStats();
        return Task.CompletedTask;
    }

    /// <summary>Takes a member's snapshot into the roster; null for an agent that is not a member.</summary>
    private AgentAvailability? UpsertMember(AgentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_state.State.MemberIds.Contains(snapshot.AgentId))
        {
            return null;
        }

        var availability = _dispatcher.TakeSnapshot(snapshot, out var fresh);
        if (fresh)
        {
            // Agents eligible and available are part of the statistics (throttled, so this costs nothing per call).
            PublishStats();
        }

        return availability;
    }

    private void ApplyConfig(QueueConfig config)
    {
        _planner.Configure(config);
        _measurements.ChangeThreshold(config.ServiceLevel.Threshold);
        _roster.UsePolicy(config.Policy);
        _room.UseAgingRate(config.AgingRate);
    }

    private Task OnDeadlineAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        while (_timetable.TryTakeDue(now, out var work))
        {
            if (_planner.Run(work, now) is { } overflow)
            {
                LogOverflow(QueueId, work.InteractionId, overflow.TargetQueueId);
            }
        }

        _dispatcher.Sweep(SweepBatch);
        ArmTimer();
        return Task.CompletedTask;
    }

    private void ArmTimer() => _timer?.ArmAt(_timetable.WakeAt(_clock.GetUtcNow(), sweep: _room.Count > 0, SweepInterval));

    private void RefreshMembers()
    {
        foreach (var agentId in _state.State.MemberIds)
        {
            _messenger.RefreshMember(agentId);
        }
    }

    private EnqueueResult? Located(string interactionId)
    {
        if (!_room.Contains(interactionId))
        {
            return null;
        }

        var position = _room.List.PositionOf(interactionId);
        return new EnqueueResult(EnqueueOutcome.Queued, position, _measurements.WaitAt(position, _roster.Pool, _clock.GetUtcNow()), null, null);
    }
}
