using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// The agent's work: the <see cref="AgentWorkload"/> (capacity, offers, work in hand), the offers as desktops saw
/// them and the hold, and the order of steps for every change to them — take an offer, accept, reject, complete,
/// end wrap-up, time out, withdraw, hold, reconcile and pull waiting work. Each step changes the workload, stores it
/// through the <see cref="AgentRecorder"/>, then tells the interaction, the queues and the desktops, in that order.
/// </summary>
internal sealed partial class WorkDesk
{
    private const int MaxPullRounds = 32;

    private static readonly InteractionState[] AcceptedOrLater = [InteractionState.Connected, InteractionState.WrapUp, InteractionState.Completed];
    private static readonly InteractionState[] CompletedOrLater = [InteractionState.WrapUp, InteractionState.Completed];
    private static readonly InteractionState[] Ended = [InteractionState.Completed];

    private readonly string _agentId;
    private readonly Func<AgentRecord> _record;
    private readonly AgentRecorder _recorder;
    private readonly OfferStreamTracker _streams;
    private readonly QueueMembership _queues;
    private readonly Func<string, IInteractionGrain> _interaction;
    private readonly Func<string, IQueueGrain> _queue;
    private readonly TimeProvider _clock;
    private readonly Action _armTimer;
    private readonly ILogger _logger;
    private readonly OfferViewBook _offerViews = new();

    /// <param name="agentId">The agent.</param>
    /// <param name="record">The stored record (read on every use).</param>
    /// <param name="recorder">Records the agent's events and stores every change.</param>
    /// <param name="streams">The desktops, told of offers, withdrawals and status.</param>
    /// <param name="queues">The agent's queues: pulled from, claimed from, told of every new version.</param>
    /// <param name="interaction">Resolves an interaction grain by id.</param>
    /// <param name="queue">Resolves a queue grain by id.</param>
    /// <param name="clock">The engine's clock.</param>
    /// <param name="armTimer">Re-arms the agent's one timer after a deadline changed.</param>
    /// <param name="logger">The agent grain's logger.</param>
    public WorkDesk(
        string agentId,
        Func<AgentRecord> record,
        AgentRecorder recorder,
        OfferStreamTracker streams,
        QueueMembership queues,
        Func<string, IInteractionGrain> interaction,
        Func<string, IQueueGrain> queue,
        TimeProvider clock,
        Action armTimer,
        ILogger logger)
    {
        _agentId = agentId;
        _record = record;
        _recorder = recorder;
        _streams = streams;
        _queues = queues;
        _interaction = interaction;
        _queue = queue;
        _clock = clock;
        _armTimer = armTimer;
        _logger = logger;
    }

    public AgentWorkload Workload { get; private set; } = new(CapacityProfile.SingleInteraction("voice"));

    private AgentRecord Record => _record();

    /// <summary>Takes the stored work back on activation.</summary>
    public void Restore(CapacityProfile profile, IEnumerable<WorkItem> work) => Workload = new AgentWorkload(profile, work);

    /// <summary>A new definition: a fresh workload when nothing is held, else the held work under the new limits.</summary>
    public void ChangeProfile(CapacityProfile profile)
    {
        if (Workload.Items.Count == 0)
        {
            Workload = new AgentWorkload(profile);
        }
        else
        {
            Workload.ChangeProfile(profile);
        }
    }

    public AgentSnapshot Snapshot() => AgentViews.Snapshot(_agentId, Record, Workload);

    public AgentStatusView Status() => AgentViews.Status(_agentId, Record, Workload);

    public async Task<InteractionSnapshot> AcceptAsync(string interactionId)
    {
        var now = _clock.GetUtcNow();
        var (change, item) = Workload.Accept(interactionId, now);
        switch (change)
        {
            case WorkChange.NotHeld:
                throw RoutingException.Precondition("interaction_id", $"no offer of '{interactionId}' stands for agent '{_agentId}'");
            case WorkChange.WrongPhase:
                // Accepted already: a desktop sending the accept again (its answer was lost) gets the same answer.
                return await RepeatedAsync(interactionId, InteractionState.Offered, AcceptedOrLater, i => i.MarkConnected(_agentId))
                    ?? throw RoutingException.Precondition("interaction_id", $"'{interactionId}' is already {Describe(item!.Phase)}");
            case WorkChange.Expired:
                await TimeOutOfferAsync(item!, now);
                throw RoutingException.Precondition("interaction_id", $"the offer of '{interactionId}' expired");
        }

        _offerViews.Forget(interactionId);
        await _recorder.CommitAsync();
        try
        {
            var snapshot = await _interaction(interactionId).MarkConnected(_agentId);
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

    public async Task<InteractionSnapshot> RejectAsync(string interactionId, string? reason)
    {
        var item = HeldOrRefuse(interactionId, $"no offer of '{interactionId}' stands for agent '{_agentId}'");
        if (item.Phase != WorkPhase.Offered)
        {
            throw RoutingException.Precondition("interaction_id", $"'{interactionId}' is {Describe(item.Phase)}; only an offer can be rejected");
        }

        await DropAsync(interactionId);
        RoutingMetrics.OfferRejected(item.QueueId, item.Channel);
        var snapshot = await _interaction(interactionId).MarkReturned(_agentId, ReturnReason.Rejected, reason);
        await PullWorkAsync();
        NotifyStatus();
        return snapshot;
    }

    public async Task<InteractionSnapshot> CompleteAsync(string interactionId, string? disposition)
    {
        if (Workload.Find(interactionId) is not { } held)
        {
            // Completed and ended already (no wrap-up time): a repeat gets the same answer.
            return await RepeatedAsync(interactionId, InteractionState.WrapUp, Ended, i => i.MarkCompleted(_agentId, Actor.Engine))
                ?? throw RoutingException.Precondition("interaction_id", $"agent '{_agentId}' does not hold '{interactionId}'");
        }

        if (held.Phase == WorkPhase.WrapUp)
        {
            return await RepeatedAsync(interactionId, InteractionState.Connected, CompletedOrLater, i => i.MarkWrapUp(_agentId, disposition))
                ?? throw RoutingException.Precondition("interaction_id", $"'{interactionId}' is in wrap-up; only a connected interaction can be completed");
        }

        var (change, item) = Workload.Complete(interactionId, _clock.GetUtcNow(), held.WrapUp);
        if (change != WorkChange.Done)
        {
            throw RoutingException.Precondition("interaction_id", $"'{interactionId}' is {Describe(item!.Phase)}; only a connected interaction can be completed");
        }

        await _recorder.CommitAsync();
        var snapshot = await _interaction(interactionId).MarkWrapUp(_agentId, disposition);
        if (held.WrapUp <= TimeSpan.Zero)
        {
            return await FinishWrapUpAsync(interactionId, Actor.Engine);
        }

        _armTimer();
        NotifyStatus();
        return snapshot;
    }

    public async Task<InteractionSnapshot> EndWrapUpAsync(string interactionId)
    {
        if (Workload.Find(interactionId) is not { } item)
        {
            // Ended already: a repeat gets the same answer, and an interaction that missed the end hears it again.
            return await RepeatedAsync(interactionId, InteractionState.WrapUp, Ended, i => i.MarkCompleted(_agentId, Actor.Agent(_agentId)))
                ?? throw RoutingException.Precondition("interaction_id", $"agent '{_agentId}' does not hold '{interactionId}'");
        }

        if (item.Phase != WorkPhase.WrapUp)
        {
            throw RoutingException.Precondition("interaction_id", $"'{interactionId}' is {Describe(item.Phase)}, not in wrap-up");
        }

        return await FinishWrapUpAsync(interactionId, Actor.Agent(_agentId));
    }

    /// <summary>The interaction left this agent elsewhere (cancelled, moved): the capacity and the desktops' offer go.</summary>
    public async Task WithdrawAsync(string interactionId, string reason)
    {
        if (Workload.Find(interactionId) is null)
        {
            return;
        }

        await DropAsync(interactionId);
        _streams.Notify(o => o.OnWithdrawn(interactionId, reason));
        await PullWorkAsync();
        NotifyStatus();
    }

    /// <summary>Checks one interaction against its grain: held work here, or asks the interaction to check itself.</summary>
    public async Task ReconcileAsync(string interactionId)
    {
        if (Workload.Find(interactionId) is { } item)
        {
            await ReconcileItemAsync(item);
        }
        else
        {
            await _interaction(interactionId).Reconcile(_agentId);
        }
    }

    /// <summary>Reconciles every held interaction (the periodic check).</summary>
    public async Task ReconcileAllAsync()
    {
        foreach (var item in Workload.Items.ToList())
        {
            await ReconcileItemAsync(item);
        }
    }

    /// <summary>A queue asks the agent to stay free for an exclusive interaction; refused if the rules say no.</summary>
    public async Task HoldAsync(string queueId, string interactionId)
    {
        if (!Record.TryHold(queueId, interactionId))
        {
            await _queue(queueId).HoldRefused(Snapshot(), interactionId);
            return;
        }

        await _recorder.CommitAsync();
        LogHeld(_agentId, interactionId);
        // It may already fit (the other work drained meanwhile); otherwise queues now see it as held.
        await PullWorkAsync();
    }

    public async Task ReleaseHoldAsync(string interactionId)
    {
        if (Record.ReleaseHoldFor(interactionId))
        {
            await _recorder.CommitAsync();
            await PullWorkAsync();
        }
    }

    /// <summary>Gives up the hold, if any, and tells its queue.</summary>
    public async Task GiveUpHoldAsync()
    {
        if (Record.TakeHold() is { } hold)
        {
            await _recorder.CommitAsync();
            await _queue(hold.QueueId).HoldRefused(Snapshot(), hold.InteractionId);
        }
    }

    /// <summary>
    /// Interaction selection (contract §3.3): while the agent has room, take the waiting interaction with the highest
    /// effective priority across its queues, claimed from its queue (see <see cref="QueueMembership.ClaimBestAsync"/>).
    /// </summary>
    public async Task PullWorkAsync()
    {
        try
        {
            for (var round = 0; round < MaxPullRounds && Record.IsReady && AgentViews.HasRoomForAnything(Record, Workload); round++)
            {
                if (await _queues.ClaimBestAsync(Record.QueueIds, Snapshot(), _clock) is not { } claimed)
                {
                    break;
                }

                if (claimed.Result.Granted)
                {
                    await TakeOfferAsync(claimed.QueueKey, claimed.Result, Actor.Engine);
                }
            }

            PublishSnapshot();
        }
        catch (RoutingException e) when (e.Code == RoutingErrorCode.Unavailable)
        {
            // The change that made room is stored; what waits stays queued and the queue's sweep offers it again.
            LogPullFailed(_agentId, e);
        }
    }

    /// <summary>
    /// Reserves capacity for a claimed interaction and makes the offer; null when it could not be offered.
    /// <paramref name="queueKey"/> is the queue grain it was claimed from (a queue, or one shard of it).
    /// </summary>
    public async Task<InteractionSnapshot?> TakeOfferAsync(string queueKey, ClaimResult claim, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var queueId = QueueShardKey.QueueIdOf(queueKey);
        var entry = claim.Entry!;
        var now = _clock.GetUtcNow();
        if (Workload.CanReserve(entry.Channel) != CapacityVerdict.Fits || Workload.Find(entry.InteractionId) is not null)
        {
            // The queue's view was stale: the interaction goes back where it was, untouched.
            await EnqueueBackAsync(queueId, entry);
            return null;
        }

        var item = Workload.Reserve(entry.InteractionId, entry.Channel, queueId, now, claim.OfferTimeout, claim.WrapUp);
        Record.IdleSince = now;
        Record.ReleaseHoldFor(entry.InteractionId);

        // The reservation counts only once it is stored (against the version this activation read).
        try
        {
            await _recorder.CommitAsync();
        }
        catch (RoutingException)
        {
            // Not stored: undo it and give the interaction back to its queue, untouched, before refusing.
            Workload.Release(entry.InteractionId);
            await EnqueueBackAsync(queueId, entry);
            throw;
        }

        OfferGrant? grant;
        try
        {
            grant = await _interaction(entry.InteractionId).MarkOffered(_agentId, queueId, now, item.Deadline!.Value, claim.AutoAccept, actor);
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
            Workload.Accept(entry.InteractionId, now);
            await _recorder.CommitAsync();
        }
        else
        {
            _offerViews.Remember(entry.InteractionId, offer);
        }

        LogOffered(_agentId, entry.InteractionId, queueId);
        RoutingMetrics.OfferMade(queueId, entry.Channel);
        if (claim.AutoAccept)
        {
            RoutingMetrics.OfferAccepted(queueId, entry.Channel);
        }

        _streams.Notify(o => o.OnOffered(offer));
        _armTimer();
        return grant.Interaction;
    }

    public async Task<InteractionSnapshot> FinishWrapUpAsync(string interactionId, Actor actor)
    {
        if (Workload.Find(interactionId) is { Phase: WorkPhase.WrapUp } done)
        {
            _recorder.Occupancy.Handled(done, _clock.GetUtcNow());
        }

        await DropAsync(interactionId);
        var snapshot = await _interaction(interactionId).MarkCompleted(_agentId, actor);
        await PullWorkAsync();
        NotifyStatus();
        return snapshot;
    }

    /// <summary>An offer went unanswered: the agent is not responding, its hold goes and the offer returns to its queue.</summary>
    public async Task TimeOutOfferAsync(WorkItem item, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(item);
        LogTimedOut(_agentId, item.InteractionId);
        RoutingMetrics.OfferTimedOut(item.QueueId, item.Channel);
        Record.NotResponding = true;
        _recorder.RecordEvent(RoutingEventType.NotResponding, Actor.Engine, $"offer of {item.InteractionId} timed out");
        await GiveUpHoldAsync();
        await ReturnOfferAsync(item.InteractionId, ReturnReason.TimedOut, $"no answer within the offer timeout at {now:O}", "timed_out");
        PublishSnapshot();
        NotifyStatus();
    }

    /// <summary>Gives every standing offer back to its queue.</summary>
    public async Task ReturnOffersAsync(ReturnReason reason, string detail, string withdrawnReason)
    {
        foreach (var offer in Workload.Offers.ToList())
        {
            await ReturnOfferAsync(offer.InteractionId, reason, detail, withdrawnReason);
        }
    }

    /// <summary>Offers not yet answered, rebuilt from their interactions when this activation never made them.</summary>
    public Task<ImmutableArray<OfferView>> OutstandingOffersAsync() =>
        _offerViews.OutstandingAsync(Workload.Offers, id => _interaction(id).GetSnapshot());

    /// <summary>Sends the latest snapshot, one-way, to every queue that has not seen it.</summary>
    public void PublishSnapshot()
    {
        if (Record.Config is not null)
        {
            _queues.Publish(Record.QueueIds, Record.Version, Snapshot);
        }
    }

    public void NotifyStatus()
    {
        if (_streams.AnyAttached)
        {
            var status = Status();
            _streams.Notify(o => o.OnStatus(status));
        }
    }

    /// <summary>Gives one offer back: the capacity, the desktops' view of it, and the interaction to its queue.</summary>
    private async Task ReturnOfferAsync(string interactionId, ReturnReason reason, string detail, string withdrawnReason)
    {
        await DropAsync(interactionId);
        _streams.Notify(o => o.OnWithdrawn(interactionId, withdrawnReason));
        await _interaction(interactionId).MarkReturned(_agentId, reason, detail);
    }

    /// <summary>Acts on what <see cref="Reconciliation"/> decides for one held interaction.</summary>
    private async Task ReconcileItemAsync(WorkItem item)
    {
        var interaction = _interaction(item.InteractionId);
        switch (Reconciliation.Decide(item, await interaction.GetSnapshot(), _agentId))
        {
            case ReconcileAction.Drop:
                LogReconciled(_agentId, item.InteractionId, "dropped");
                await DropAsync(item.InteractionId);
                await PullWorkAsync();
                break;
            case ReconcileAction.RetellAccepted:
                LogReconciled(_agentId, item.InteractionId, "accept told again");
                await interaction.MarkConnected(_agentId);
                break;
            case ReconcileAction.RetellCompleted:
                LogReconciled(_agentId, item.InteractionId, "completion told again");
                await interaction.MarkWrapUp(_agentId, null);
                break;
        }
    }

    /// <summary>
    /// A step this agent took already, sent again because its answer was lost (a silo went away, a deadline passed).
    /// The agent stores first and tells the interaction second, so when the interaction still shows
    /// <paramref name="missed"/> it is told again; when it shows one of <paramref name="done"/> that is the answer the
    /// first call would have given. Null otherwise (the interaction is not this agent's): the caller refuses as before.
    /// </summary>
    private async Task<InteractionSnapshot?> RepeatedAsync(
        string interactionId, InteractionState missed, InteractionState[] done, Func<IInteractionGrain, Task<InteractionSnapshot>> tellAgain)
    {
        var interaction = _interaction(interactionId);
        if (await interaction.GetSnapshot() is not { } snapshot || snapshot.AgentId != _agentId)
        {
            return null;
        }

        if (snapshot.State == missed)
        {
            return await tellAgain(interaction);
        }

        return Array.IndexOf(done, snapshot.State) >= 0 ? snapshot : null;
    }

    private async Task DropAsync(string interactionId)
    {
        Workload.Release(interactionId);
        _offerViews.Forget(interactionId);
        await _recorder.CommitAsync();
        _armTimer();
    }

    /// <summary>Gives a claimed interaction back to its queue's shard, untouched.</summary>
    private Task<EnqueueResult> EnqueueBackAsync(string queueId, QueueEntry entry) =>
        _queue(QueueShardKey.For(queueId, entry.InteractionId, _queues.ShardsOf(queueId)).GrainKey).Enqueue(entry with { Admitted = true });

    private WorkItem HeldOrRefuse(string interactionId, string refusal) =>
        Workload.Find(interactionId) ?? throw RoutingException.Precondition("interaction_id", refusal);

    private static string Describe(WorkPhase phase) => phase switch
    {
        WorkPhase.Offered => "offered, not yet accepted",
        WorkPhase.Connected => "connected",
        _ => "in wrap-up",
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent {AgentId} offered {InteractionId} from queue {QueueId}")]
    private partial void LogOffered(string agentId, string interactionId, string queueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} let the offer of {InteractionId} time out and is now not responding")]
    private partial void LogTimedOut(string agentId, string interactionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} is held free for exclusive interaction {InteractionId}")]
    private partial void LogHeld(string agentId, string interactionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} reconciled {InteractionId}: {Action}")]
    private partial void LogReconciled(string agentId, string interactionId, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} could not take waiting work now; queues will offer it again")]
    private partial void LogPullFailed(string agentId, Exception exception);
}
