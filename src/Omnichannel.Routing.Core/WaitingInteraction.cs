namespace Omnichannel.Routing.Core;

/// <summary>An interaction waiting in a queue, as the queue's matching sees it. Immutable: changes make a new one.</summary>
/// <param name="InteractionId">Interaction id.</param>
/// <param name="Channel">Its channel.</param>
/// <param name="BasePriority">Base priority; aging adds to it.</param>
/// <param name="Arrival">When it started waiting; kept when an offer returns it to the queue.</param>
/// <param name="Sequence">The queue's arrival counter, the last tie-break.</param>
/// <param name="BaseDemand">Skill demand as requested.</param>
/// <param name="Demand">Skill demand after the relaxation steps applied so far.</param>
/// <param name="RelaxationStepsApplied">How many of the queue's relaxation steps are in force.</param>
/// <param name="ExcludedAgents">Agents that rejected it or let its offer time out.</param>
/// <param name="ReservedFor">The preferred agent it waits for, while that wait lasts.</param>
/// <param name="ReservedUntil">When the wait for the preferred agent ends.</param>
public sealed record WaitingInteraction(
    string InteractionId,
    string Channel,
    int BasePriority,
    DateTimeOffset Arrival,
    long Sequence,
    SkillDemand BaseDemand,
    SkillDemand Demand,
    int RelaxationStepsApplied,
    IReadOnlySet<string> ExcludedAgents,
    string? ReservedFor = null,
    DateTimeOffset? ReservedUntil = null)
{
    public InteractionDemand ToDemand(string queueId) =>
        new(InteractionId, queueId, Channel, Demand, ExcludedAgents, ReservedFor);
}
