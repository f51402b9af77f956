namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// Which agents declined which waiting interaction, and at which version of their state: an agent that declined is
/// passed over for that interaction until its state changes.
/// </summary>
internal sealed class DeclineMemory
{
    private readonly Dictionary<string, Dictionary<string, long>> _byInteraction = new(StringComparer.Ordinal);

    public void Remember(string interactionId, string agentId, long agentVersion)
    {
        if (!_byInteraction.TryGetValue(interactionId, out var byAgent))
        {
            byAgent = new Dictionary<string, long>(StringComparer.Ordinal);
            _byInteraction[interactionId] = byAgent;
        }

        byAgent[agentId] = agentVersion;
    }

    /// <summary>
    /// True when the agent declined the interaction and its state has not changed since; an agent the queue has no
    /// current state for is not passed over.
    /// </summary>
    public bool PassesOver(string interactionId, string agentId, long? currentVersion) =>
        currentVersion is { } current
        && _byInteraction.TryGetValue(interactionId, out var byAgent)
        && byAgent.TryGetValue(agentId, out var declinedAt)
        && current <= declinedAt;

    /// <summary>Forgets an interaction that left the queue.</summary>
    public void Forget(string interactionId) => _byInteraction.Remove(interactionId);
}
