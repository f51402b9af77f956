using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// The agent's side of its queues: joining and leaving them, keeping each queue's view of the agent current (see
/// <see cref="PublishedVersions"/>), and finding the best waiting interaction across them. Every call hands the
/// queue the agent's snapshot, so a queue that answered has seen that version. A queue split into shards
/// (<see cref="QueueConfig.Shards"/>) is every one of its shards here: the agent is a member of each, keeps each
/// current and asks each for its best; versions are kept per shard grain key.
/// </summary>
internal sealed class QueueMembership
{
    private readonly string _agentId;
    private readonly Func<string, IQueueGrain> _queue;
    private readonly PublishedVersions _published = new();

    /// <summary>How many shards each queue has, as last read from it; a queue not listed has one.</summary>
    private readonly Dictionary<string, int> _shards = new(StringComparer.Ordinal);

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
            foreach (var key in ShardKeys(removed))
            {
                await _queue(key).RemoveMember(_agentId);
                _published.Forget(key);
            }

            _shards.Remove(removed);
        }

        foreach (var queueId in current)
        {
            await _queue(queueId).AddMember(snapshot);
            _published.Saw(queueId, snapshot.Version);
            await JoinShardsAsync(queueId, await ShardCountAsync(queueId), snapshot);
        }
    }

    /// <summary>
    /// Reads how many shards each queue has (a new activation knows nothing of it). A queue that cannot answer now
    /// counts as unsharded meanwhile: the agent still activates, and the queue's shard 0 asks it to refresh when it
    /// activates, which reads the count again.
    /// </summary>
    public async Task LearnShardsAsync(ImmutableArray<string> queueIds)
    {
        foreach (var queueId in queueIds)
        {
            try
            {
                Learn(queueId, await ShardCountAsync(queueId));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Left unsharded until the queue's refresh: an agent must not fail to activate over one queue.
                _shards.Remove(queueId);
            }
        }
    }

    /// <summary>How many shards the queue has, as this agent knows.</summary>
    public int ShardsOf(string queueId) => _shards.GetValueOrDefault(queueId, 1);

    /// <summary>Sends the snapshot, one-way, to every queue (every shard) of <paramref name="queueIds"/> that has not seen <paramref name="version"/>.</summary>
    public void Publish(ImmutableArray<string> queueIds, long version, Func<AgentSnapshot> snapshot) =>
        _published.PublishTo(queueIds.SelectMany(ShardKeys), version, snapshot, (key, current) => _queue(key).UpdateMember(current).Ignore());

    /// <summary>
    /// A queue grain (<paramref name="queueKey"/>, a queue or one shard of it) lost its view: it is sent the snapshot
    /// again if the agent is still a member. Shard 0 also asks when the queue's shard count changed, so the agent reads
    /// the count again and joins (or leaves) the shards that came (or went).
    /// </summary>
    public async Task RefreshAsync(string queueKey, bool member, Func<AgentSnapshot> snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _published.Forget(queueKey);
        if (!member)
        {
            return;
        }

        var current = snapshot();
        _queue(queueKey).UpdateMember(current).Ignore();
        _published.Saw(queueKey, current.Version);
        if (QueueShardKey.Parse(queueKey) is { Shard: 0, QueueId: var queueId } && await ShardCountAsync(queueId) is var shards && shards != ShardsOf(queueId))
        {
            await JoinShardsAsync(queueId, shards, current);
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
        var keys = queueIds.SelectMany(ShardKeys).ToList();
        var peeks = await Task.WhenAll(keys.Select(k => _queue(k).Peek(snapshot)));
        foreach (var key in keys)
        {
            _published.Saw(key, snapshot.Version);
        }

        return InteractionSelection.Best(
            peeks.OfType<QueueCandidate>(),
            clock.GetUtcNow());
    }

    /// <summary>
    /// Interaction selection (contract §3.3) and the claim of the one selected: null when none waits, else the
    /// queue's answer with the grain key it came from. An agent whose queues are one grain (one queue, one shard: the
    /// common case) asks that grain to pick and claim in one turn (<see cref="IQueueGrain.ClaimBest"/>); across
    /// several, the choice needs every grain's candidate, so it peeks them all, then claims the best from its grain.
    /// </summary>
    public async Task<QueueClaim?> ClaimBestAsync(ImmutableArray<string> queueIds, AgentSnapshot snapshot, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (queueIds.Length == 1 && ShardsOf(queueIds[0]) == 1)
        {
            var key = queueIds[0];
            var claim = await _queue(key).ClaimBest(snapshot);
            _published.Saw(key, snapshot.Version);
            return claim is null ? null : new QueueClaim(key, claim);
        }

        if (await BestWaitingAsync(queueIds, snapshot, clock) is not { } best)
        {
            return null;
        }

        var shardKey = new QueueShardKey(best.QueueId, best.Shard).GrainKey;
        return new QueueClaim(shardKey, await ClaimAsync(shardKey, snapshot, best.InteractionId));
    }

    /// <summary>Claims a waiting interaction from its queue (the grain key of the shard that holds it).</summary>
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

    /// <summary>Joins shards 1.. of a queue now split <paramref name="shards"/> ways, and leaves those it no longer has.</summary>
    private async Task JoinShardsAsync(string queueId, int shards, AgentSnapshot snapshot)
    {
        var before = ShardsOf(queueId);
        Learn(queueId, shards);
        foreach (var key in QueueShardKey.AllOf(queueId, shards).Skip(1))
        {
            await _queue(key).AddMember(snapshot);
            _published.Saw(key, snapshot.Version);
        }

        foreach (var key in QueueShardKey.AllOf(queueId, before).Skip(shards))
        {
            await _queue(key).RemoveMember(_agentId);
            _published.Forget(key);
        }
    }

    private async Task<int> ShardCountAsync(string queueId) => (await _queue(queueId).GetConfig())?.Shards ?? 1;

    private void Learn(string queueId, int shards)
    {
        if (shards > 1)
        {
            _shards[queueId] = shards;
        }
        else
        {
            _shards.Remove(queueId);
        }
    }

    private IEnumerable<string> ShardKeys(string queueId) => QueueShardKey.AllOf(queueId, ShardsOf(queueId));
}
