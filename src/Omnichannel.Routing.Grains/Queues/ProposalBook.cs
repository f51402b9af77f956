namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// A queue's proposals out to agents and not yet answered: at most one per interaction and one per agent, each
/// with the id the agent's answer must quote. Both directions live here, so they cannot drift apart.
/// </summary>
internal sealed class ProposalBook
{
    private readonly Dictionary<string, Proposed> _byInteraction = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byAgent = new(StringComparer.Ordinal);
    private long _lastId;

    public int Count => _byInteraction.Count;

    /// <summary>True while the interaction waits for an agent's answer.</summary>
    public bool IsPending(string interactionId) => _byInteraction.ContainsKey(interactionId);

    /// <summary>True while the agent has a proposal to answer.</summary>
    public bool IsAwaiting(string agentId) => _byAgent.ContainsKey(agentId);

    public bool IsProposedTo(string interactionId, string agentId) =>
        _byInteraction.TryGetValue(interactionId, out var open) && open.AgentId == agentId;

    public bool IsPromisedToAnother(string interactionId, string agentId) =>
        _byInteraction.TryGetValue(interactionId, out var open) && open.AgentId != agentId;

    /// <summary>True when <paramref name="proposalId"/> is the interaction's proposal still open.</summary>
    public bool IsCurrent(string interactionId, long proposalId) =>
        _byInteraction.TryGetValue(interactionId, out var open) && open.ProposalId == proposalId;

    public bool TryGetInteractionOf(string agentId, out string interactionId) =>
        _byAgent.TryGetValue(agentId, out interactionId!);

    /// <summary>Opens a proposal of the interaction to the agent, replacing any either side had; returns its id.</summary>
    public long Open(string interactionId, string agentId)
    {
        Withdraw(interactionId);
        if (_byAgent.TryGetValue(agentId, out var previous))
        {
            Withdraw(previous);
        }

        var proposalId = ++_lastId;
        _byInteraction[interactionId] = new Proposed(agentId, proposalId);
        _byAgent[agentId] = interactionId;
        return proposalId;
    }

    /// <summary>Closes the interaction's proposal, if it has one.</summary>
    public bool Withdraw(string interactionId)
    {
        if (!_byInteraction.Remove(interactionId, out var open))
        {
            return false;
        }

        _byAgent.Remove(open.AgentId);
        return true;
    }

    private sealed record Proposed(string AgentId, long ProposalId);
}
