using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// The agent's side of its queues: joining and leaving them, keeping each queue's view of the agent current (see
/// <see cref="PublishedVersions"/>), and finding the best waiting interaction across them. Every call hands the
/// queue the agent's snapshot, so a queue that answered has seen that version.
/// </summary>
internal sealed class QueueMembership
{
    private readonly string _agentId;
    private readonly Func<string, IQueueGrain> _queue;
    private readonly PublishedVersions _published = new();

    /// <param name="agentId">The agent.</param>
    /// <param name="queue">Resolves a queue grain by id.</param>
    public QueueMembership(string agentId, Func<string, IQueueGrain> queue)
    {
        _agentId = agentId;
        _queue = queue;
    }

    /// <summary>Leaves the queues dropped from <paramref name="previous"/> and joins (again) every current one.</summary>
    public async Task JoinAsync(ImmutableArray<string> previous, ImmutableArray<string> current, AgentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var removed in previous.Except(current, StringComparer.Ordinal))
        {
            await _queue(removed).RemoveMember(_agentId);
            _published.Forget(removed);
        }

        foreach (var queueId in current)
        {
            await _queue(queueId).AddMember(snapshot);
            _published.Saw(queueId, snapshot.Version);
        }
    }

    /// <summary>Sends the snapshot, one-way, to every queue of <paramref name="queueIds"/> that has not seen <paramref name="version"/>.</summary>
    public void Publish(ImmutableArray<string> queueIds, long version, Func<AgentSnapshot> snapshot) =>
        _published.PublishTo(queueIds, version, snapshot, (queueId, current) => _queue(queueId).UpdateMember(current).Ignore());

    /// <summary>A queue lost its view: it is sent the snapshot again if the agent is still its member.</summary>
    public void Refresh(string queueId, bool member, Func<AgentSnapshot> snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _published.Forget(queueId);
        if (member)
        {
            var current = snapshot();
            _queue(queueId).UpdateMember(current).Ignore();
            _published.Saw(queueId, current.Version);
        }
    }

    /// <summary>
    /// Interaction selection (contract §3.3): asks every queue for its best candidate for this agent and answers the
    /// one with the highest effective priority once they have answered, or null when none waits.
    /// </summary>
    public async Task<QueueCandidate?> BestWaitingAsync(ImmutableArray<string> queueIds, AgentSnapshot snapshot, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(clock);
        var peeks = await Task.WhenAll(queueIds.Select(q => _queue(q).Peek(snapshot)));
        foreach (var queueId in queueIds)
        {
            _published.Saw(queueId, snapshot.Version);
        }

        return InteractionSelection.Best(
            peeks.OfType<QueueCandidate>(),
            clock.GetUtcNow());
    }

    /// <summary>Claims a waiting interaction from its queue.</summary>
    public async Task<ClaimResult> ClaimAsync(string queueId, AgentSnapshot snapshot, string interactionId)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var claim = await _queue(queueId).Claim(snapshot, interactionId);
        _published.Saw(queueId, snapshot.Version);
        return claim;
    }

    /// <summary>Turns down a queue's proposal.</summary>
    public async Task DeclineAsync(string queueId, AgentSnapshot snapshot, string interactionId, long proposalId)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await _queue(queueId).Decline(snapshot, interactionId, proposalId);
        _published.Saw(queueId, snapshot.Version);
    }
}
