using System.Collections.Immutable;
using Omnichannel.Routing.Core;
using Orleans.Concurrency;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// One queue, keyed by queue id: configuration, waiting interactions and a view of its members' availability.
/// It decides whom to propose work to, and which of its interactions an agent should take; it never awaits a call
/// to another grain, so every call it serves finishes on its own. A queue split into shards is one such grain per
/// shard (keyed by <see cref="QueueShardKey"/>), each answering for itself; <see cref="QueueShards"/> answers for the
/// whole queue.
/// </summary>
public interface IQueueGrain : IGrainWithStringKey
{
    Task<QueueConfig> Configure(QueueConfig config, Actor actor);

    Task<QueueConfig?> GetConfig();

    /// <summary>Recovery: activates the queue, which rebuilds its waiting line from the event log; answers how many wait.</summary>
    Task<int> Recover();

    /// <summary>
    /// Whether a new interaction of <paramref name="channel"/> may wait here now: Queued (yes), Overflow (full or
    /// closed, go to the target), Full, Closed, ChannelNotAccepted or UnknownQueue. Nothing is added.
    /// </summary>
    Task<EnqueueResult> CheckAdmission(string channel, ImmutableArray<string> overflowedFrom);

    /// <summary>Adds an interaction to wait here (new, re-queued after an offer, transferred or overflowed).</summary>
    Task<EnqueueResult> Enqueue(QueueEntry entry);

    /// <summary>Removes a waiting interaction; false when it is not waiting here (claimed, moved).</summary>
    Task<bool> Remove(string interactionId);

    /// <summary>Position and estimated wait of a waiting interaction, or null when it is not waiting here.</summary>
    Task<EnqueueResult?> Locate(string interactionId);

    /// <summary>
    /// How many interactions of <paramref name="channel"/> wait here ahead of one of this base priority and arrival
    /// that waits in another shard of the queue: its position in the whole queue adds these up.
    /// </summary>
    Task<int> CountAhead(string channel, int basePriority, DateTimeOffset arrival);

    /// <summary>The best interaction here for this agent, refreshing the queue's view of the agent.</summary>
    Task<QueueCandidate?> Peek(AgentSnapshot agent);

    /// <summary>Takes a waiting interaction for an agent; refused when it is gone or promised to another.</summary>
    Task<ClaimResult> Claim(AgentSnapshot agent, string interactionId);

    /// <summary>
    /// <see cref="Peek"/> and <see cref="Claim"/> in one turn, for an agent whose queues are this one grain: takes
    /// the best interaction here for this agent, or answers null when none waits that it may take.
    /// </summary>
    Task<ClaimResult?> ClaimBest(AgentSnapshot agent);

    /// <summary>The agent turned a proposal down; the queue proposes to someone else.</summary>
    Task Decline(AgentSnapshot agent, string interactionId, long proposalId);

    /// <summary>The agent cannot be held for the interaction; the queue looks for another.</summary>
    Task HoldRefused(AgentSnapshot agent, string interactionId);

    Task AddMember(AgentSnapshot agent);

    Task RemoveMember(string agentId);

    Task<ImmutableArray<string>> GetMemberIds();

    Task<QueueStatsView> GetStats();

    /// <summary>The queue's predicted figures before and after <paramref name="change"/>, changing nothing.</summary>
    Task<QueueImpactView> ForecastImpact(QueueChange change);

    /// <summary>Up to <paramref name="max"/> waiting interactions of the given channels, oldest arrival first.</summary>
    Task<ImmutableArray<string>> OldestWaiting(int max, ImmutableArray<string> channels);

    /// <summary>A waiting interaction's base priority changed: it takes its new place at once.</summary>
    Task<bool> Reprioritize(string interactionId, int priority);

    /// <summary>Opens or closes the queue (supervisor action), recorded with who asked.</summary>
    Task<QueueConfig> SetOpen(bool open, Actor actor);

    [OneWay]
    Task Track(InteractionProgress progress);

    [OneWay]
    Task UpdateMember(AgentSnapshot agent);
}
