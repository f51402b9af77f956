namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// Agents a queue holds free for a waiting interaction that no one can take yet (contract §3.11): at most one
/// agent per interaction and one interaction per agent. Both directions live here, so they cannot drift apart.
/// </summary>
internal sealed class HoldBook
{
    private readonly Dictionary<string, string> _agentByInteraction = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _interactionByAgent = new(StringComparer.Ordinal);

    public int Count => _agentByInteraction.Count;

    public bool IsHeldFor(string interactionId) => _agentByInteraction.ContainsKey(interactionId);

    public bool IsHolding(string agentId) => _interactionByAgent.ContainsKey(agentId);

    public bool IsHeldBy(string interactionId, string agentId) =>
        _agentByInteraction.TryGetValue(interactionId, out var held) && held == agentId;

    /// <summary>Holds the agent for the interaction, replacing any hold either side had.</summary>
    public void Hold(string interactionId, string agentId)
    {
        Release(interactionId, out _);
        ReleaseAgent(agentId, out _);
        _agentByInteraction[interactionId] = agentId;
        _interactionByAgent[agentId] = interactionId;
    }

    /// <summary>Ends the interaction's hold, if it has one, and says which agent was held.</summary>
    public bool Release(string interactionId, out string agentId)
    {
        if (!_agentByInteraction.Remove(interactionId, out agentId!))
        {
            return false;
        }

        _interactionByAgent.Remove(agentId);
        return true;
    }

    /// <summary>Ends the agent's hold, if it has one, and says which interaction it was held for.</summary>
    public bool ReleaseAgent(string agentId, out string interactionId)
    {
        if (!_interactionByAgent.Remove(agentId, out interactionId!))
        {
            return false;
        }

        _agentByInteraction.Remove(interactionId);
        return true;
    }
}
