namespace Omnichannel.Routing.Core;

/// <summary>Why an agent can or cannot be offered an interaction.</summary>
public enum Eligibility
{
    Eligible = 0,
    NotSignedIn,
    NotAvailable,
    NotResponding,
    NotMember,
    MissingSkill,
    NoCapacity,
    RejectedBefore,
    HeldForAnother,
    WaitingForPreferredAgent,
}

/// <summary>What an interaction needs from an agent at one moment.</summary>
/// <param name="InteractionId">Interaction id.</param>
/// <param name="QueueId">Queue it waits in.</param>
/// <param name="Channel">Its channel.</param>
/// <param name="Skills">Its skill demand after any relaxation step in force.</param>
/// <param name="ExcludedAgents">Agents that rejected it or let its offer time out.</param>
/// <param name="ReservedFor">While waiting for a preferred agent, only that agent may take it.</param>
public sealed record InteractionDemand(
    string InteractionId,
    string QueueId,
    string Channel,
    SkillDemand Skills,
    IReadOnlySet<string> ExcludedAgents,
    string? ReservedFor = null);

/// <summary>The eligibility rule of the contract (§3.1), applied by the agent that has the final word.</summary>
public static class EligibilityRules
{
    /// <summary>
    /// An agent is eligible when signed in and AVAILABLE, responding, a member of the queue, meeting every required
    /// skill, with capacity for the channel, not having rejected or timed out on the interaction, and not kept free
    /// for another interaction.
    /// </summary>
    public static Eligibility Check(AgentAvailability agent, IReadOnlySet<string> agentQueues, InteractionDemand demand)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(agentQueues);
        ArgumentNullException.ThrowIfNull(demand);

        if (!agent.SignedIn)
        {
            return Eligibility.NotSignedIn;
        }

        if (agent.Presence != Presence.Available)
        {
            return Eligibility.NotAvailable;
        }

        if (agent.NotResponding)
        {
            return Eligibility.NotResponding;
        }

        if (!agentQueues.Contains(demand.QueueId))
        {
            return Eligibility.NotMember;
        }

        if (demand.ReservedFor is not null && !string.Equals(demand.ReservedFor, agent.AgentId, StringComparison.Ordinal))
        {
            return Eligibility.WaitingForPreferredAgent;
        }

        if (agent.HeldFor is not null && !string.Equals(agent.HeldFor, demand.InteractionId, StringComparison.Ordinal))
        {
            return Eligibility.HeldForAnother;
        }

        if (demand.ExcludedAgents.Contains(agent.AgentId))
        {
            return Eligibility.RejectedBefore;
        }

        if (!demand.Skills.IsMetBy(agent.Skills))
        {
            return Eligibility.MissingSkill;
        }

        return agent.CanTake(demand.Channel) == CapacityVerdict.Fits ? Eligibility.Eligible : Eligibility.NoCapacity;
    }
}
