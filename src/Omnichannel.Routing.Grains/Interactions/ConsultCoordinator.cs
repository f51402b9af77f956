using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// The calls a warm transfer (a consult) makes while the first agent stays connected: where it waits for a second
/// agent, handing over to that agent, calling it off, and picking it up again after a restart.
/// </summary>
internal sealed class ConsultCoordinator
{
    private readonly string _interactionId;
    private readonly TimeProvider _clock;
    private readonly Func<string, IQueueGrain> _queues;
    private readonly Func<string, IAgentGrain> _agents;

    public ConsultCoordinator(string interactionId, TimeProvider clock, Func<string, IQueueGrain> queues, Func<string, IAgentGrain> agents)
    {
        _interactionId = interactionId;
        _clock = clock;
        _queues = queues;
        _agents = agents;
    }

    /// <summary>Waits in the consult queue for another agent; a full or closed queue still takes it back.</summary>
    public Task<EnqueueResult> WaitInQueueAsync(InteractionSnapshot interaction, string queueId, TimeSpan preferredAgentWait) =>
        _queues(queueId).Enqueue(InteractionQueueEntries.ForConsult(interaction, preferredAgentWait, _clock.GetUtcNow()));

    /// <summary>The consulted agent took over: the first agent's capacity is released.</summary>
    public void HandOver(string previousAgentId) => _agents(previousAgentId).Withdraw(_interactionId, "transferred").Ignore();

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
    public async Task ResumeAsync(InteractionSnapshot interaction, TimeSpan preferredAgentWait)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        if (interaction.ConsultAgentId is { } consulted)
        {
            _agents(consulted).Reconcile(_interactionId).Ignore();
        }
        else if (interaction.ConsultQueueId is { } queueId)
        {
            await WaitInQueueAsync(interaction, queueId, preferredAgentWait);
        }
    }
}
