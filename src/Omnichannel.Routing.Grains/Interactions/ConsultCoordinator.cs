using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// A warm transfer (a consult): the interaction stays connected with its first agent while it waits in a queue or
/// is offered to a second agent, who takes it over on accepting. Declining leaves it with the first agent (a queue
/// consult looks again); wrap-up by the first agent calls it off.
/// </summary>
internal sealed class ConsultCoordinator
{
    private readonly string _interactionId;
    private readonly TimeProvider _clock;
    private readonly Func<string, IQueueGrain> _queues;
    private readonly Func<string, IAgentGrain> _agents;
    private readonly InteractionRecorder _recorder;
    private readonly OverflowAdmission _admission;
    private readonly InteractionProgressReporter _progress;

    public ConsultCoordinator(
        string interactionId,
        TimeProvider clock,
        Func<string, IQueueGrain> queues,
        Func<string, IAgentGrain> agents,
        InteractionRecorder recorder,
        OverflowAdmission admission,
        InteractionProgressReporter progress)
    {
        _interactionId = interactionId;
        _clock = clock;
        _queues = queues;
        _agents = agents;
        _recorder = recorder;
        _admission = admission;
        _progress = progress;
    }

    private InteractionSnapshot Current => _recorder.Current;

    /// <summary>Warm transfer to a queue: it waits there for another agent while staying connected with this one.</summary>
    public async Task<InteractionSnapshot> ToQueueAsync(string queueId, ImmutableDictionary<string, string> context, string? reason, Actor actor)
    {
        var current = Current;
        var (interaction, decision) = _recorder.Decide(i => i.ConsultQueue(queueId, reason));

        // The target is asked first, so a refusal there changes nothing here.
        await _admission.EnsureAdmitsAsync(queueId, current.Channel);
        var events = _recorder.Commit(interaction, decision, actor);
        _recorder.Record.Current = Current with { Context = current.Context.SetItems(context) };
        await _recorder.StoreAsync(events);
        var result = await WaitInQueueAsync(Current, queueId);
        _progress.RecordJourney(Current);
        return Current with { EstimatedWait = result.EstimatedWait, QueuePosition = result.Position };
    }

    /// <summary>The warm transfer is offered to <paramref name="agentId"/>; on an auto-accept channel it takes over at once.</summary>
    public async Task<OfferGrant> OfferAsync(Interaction interaction, string agentId, string queueId, DateTimeOffset offeredAt, bool autoAccept, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        _recorder.Record.PendingTransferAgentId = null;
        _recorder.Record.PendingTransferWarm = false;
        await _recorder.ApplyAsync(interaction, interaction.OfferConsult(agentId, queueId), actor);
        if (autoAccept)
        {
            await CompleteAsync(agentId, actor);
        }

        // To the consulted agent it is an offer, whoever is still on it.
        return new OfferGrant(Current with { History = [], State = autoAccept ? InteractionState.Connected : InteractionState.Offered, AgentId = agentId, OfferedAt = offeredAt }, _recorder.Record.RecentJourney);
    }

    /// <summary>The consulted agent accepted: it takes over, and the first agent's capacity is released.</summary>
    public async Task<InteractionSnapshot> CompleteAsync(string agentId, Actor actor)
    {
        var previous = Current.AgentId!;
        var (interaction, decision) = _recorder.Decide(i => i.CompleteConsult(agentId, _clock.GetUtcNow()));
        await _recorder.ApplyAsync(interaction, decision, actor);
        _agents(previous).Withdraw(_interactionId, "transferred").Ignore();
        _progress.RecordJourney(Current);
        return Current;
    }

    /// <summary>The consulted agent rejected, timed out or left: the first agent keeps it; a queue consult looks again.</summary>
    public async Task<InteractionSnapshot> DeclineAsync(string agentId, ReturnReason reason, string? detail)
    {
        var exclude = reason is ReturnReason.Rejected or ReturnReason.TimedOut;
        var (interaction, decision) = _recorder.Decide(i => i.DeclineConsult(agentId, exclude, detail ?? reason.ToString()));
        await _recorder.ApplyAsync(interaction, decision, reason == ReturnReason.Rejected ? Actor.Agent(agentId) : Actor.Engine);
        if (Current.ConsultQueueId is { } queueId)
        {
            await WaitInQueueAsync(Current, queueId);
        }

        return Current;
    }

    /// <summary>The first agent finished before anyone took the warm transfer: it is withdrawn wherever it was.</summary>
    public async Task CallOffAsync(InteractionSnapshot before)
    {
        ArgumentNullException.ThrowIfNull(before);
        if (before.ConsultAgentId is { } consulted)
        {
            _agents(consulted).Withdraw(_interactionId, "cancelled").Ignore();
        }

        if (before.ConsultQueueId is { } queueId)
        {
            await _queues(queueId).Remove(_interactionId);
        }
    }

    /// <summary>Reconciliation: the consulted agent checks it still holds the offer, or the consult queue takes it back.</summary>
    public async Task ResumeAsync(InteractionSnapshot interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        if (interaction.ConsultAgentId is { } consulted)
        {
            _agents(consulted).Reconcile(_interactionId).Ignore();
        }
        else if (interaction.ConsultQueueId is { } queueId)
        {
            await WaitInQueueAsync(interaction, queueId);
        }
    }

    /// <summary>Waits in the consult queue for another agent; a full or closed queue still takes it back.</summary>
    private Task<EnqueueResult> WaitInQueueAsync(InteractionSnapshot interaction, string queueId) =>
        _queues(queueId).Enqueue(InteractionQueueEntries.ForConsult(interaction, _recorder.Record.PreferredAgentWait, _clock.GetUtcNow()));
}
