using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// The one-way messages a queue sends to agents and interactions. A queue never awaits either (see
/// <see cref="QueueGrain"/>), so none of these returns anything to wait for.
/// </summary>
internal interface IQueueMessenger
{
    void Propose(string agentId, Proposal proposal);

    void Hold(string agentId, string interactionId);

    void ReleaseHold(string agentId, string interactionId);

    /// <summary>Records a routing decision in the interaction's history.</summary>
    void Note(string interactionId, RoutingEventType type, string detail, DateTimeOffset at);

    void OverflowTo(string interactionId, string targetQueueId, OverflowMode mode);

    /// <summary>Asks a member for a fresh snapshot (a new activation knows nothing of its members).</summary>
    void RefreshMember(string agentId);

    /// <summary>Asks an interaction recorded as waiting here to wait again (a new activation's waiting list is empty).</summary>
    void Rejoin(string interactionId);

    /// <summary>Sends an interaction that reached the wrong shard on to the queue grain of its own shard.</summary>
    void Forward(string shardKey, QueueEntry entry);
}

/// <summary>
/// Sends a queue's messages through the grain factory, fire and forget. Agents are sent the shard's grain key where
/// they answer the shard (a hold, a refresh); interactions are sent the queue id, which is what they record.
/// </summary>
internal sealed class QueueMessenger(IGrainFactory grains, QueueShardKey key) : IQueueMessenger
{

    public void Propose(string agentId, Proposal proposal) =>
        grains.Agent(agentId).Propose(proposal).Ignore();

    public void Hold(string agentId, string interactionId) =>
        grains.Agent(agentId).Hold(key.GrainKey, interactionId).Ignore();

    public void ReleaseHold(string agentId, string interactionId) =>
        grains.Agent(agentId).ReleaseHold(interactionId).Ignore();

    public void Note(string interactionId, RoutingEventType type, string detail, DateTimeOffset at) =>
        grains.Interaction(interactionId).NoteFromQueue(new QueueNote(type, key.QueueId, detail, at)).Ignore();

    public void OverflowTo(string interactionId, string targetQueueId, OverflowMode mode) =>
        grains.Interaction(interactionId).OverflowTo(key.QueueId, targetQueueId, mode).Ignore();

    public void RefreshMember(string agentId) =>
        grains.Agent(agentId).RefreshQueue(key.GrainKey).Ignore();

    public void Rejoin(string interactionId) =>
        grains.Interaction(interactionId).Rejoin(key.QueueId).Ignore();

    public void Forward(string shardKey, QueueEntry entry) =>
        grains.Queue(shardKey).Enqueue(entry).Ignore();
}
