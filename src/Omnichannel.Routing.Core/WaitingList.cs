namespace Omnichannel.Routing.Core;

/// <summary>
/// A queue's waiting interactions, indexed for the two questions matching asks. "Which interaction should this
/// agent take?" costs O(B log n), B being the number of distinct (channel, skill demand) buckets — small in
/// practice. "Where is this interaction in line?" costs O(log n).
/// </summary>
public sealed class WaitingList
{
    private static readonly IReadOnlySet<string> NoAgents = new HashSet<string>();

    private readonly Dictionary<string, WaitingInteraction> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RankedSet<WaitingInteraction>> _reserved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RankedSet<WaitingInteraction>> _byChannel = new(StringComparer.Ordinal);
    private readonly SortedSet<WaitingInteraction> _byArrival = new(ArrivalOrder.Instance);
    private readonly PriorityOrder _priorityOrder;

    public WaitingList(double agingRate)
    {
        if (double.IsNaN(agingRate) || agingRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(agingRate), agingRate, "The aging rate cannot be negative.");
        }

        AgingRate = agingRate;
        _priorityOrder = new PriorityOrder(agingRate);
    }

    public double AgingRate { get; }

    public int Count => _byId.Count;

    public IEnumerable<WaitingInteraction> Items => _byId.Values;

    /// <summary>Waiting interactions, oldest arrival first.</summary>
    public IEnumerable<WaitingInteraction> OldestFirst => _byArrival;

    /// <summary>The distinct (channel, demand) buckets currently holding work; what a decision iterates over.</summary>
    public int BucketCount => _buckets.Count;

    public int CountOf(string channel) => _byChannel.TryGetValue(channel, out var set) ? set.Count : 0;

    public bool Contains(string interactionId) => _byId.ContainsKey(interactionId);

    public bool TryGet(string interactionId, out WaitingInteraction item) => _byId.TryGetValue(interactionId, out item!);

    public void Add(WaitingInteraction item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!_byId.TryAdd(item.InteractionId, item))
        {
            throw new InvalidOperationException($"Interaction '{item.InteractionId}' is already waiting.");
        }

        Index(item);
    }

    public WaitingInteraction? Remove(string interactionId)
    {
        if (!_byId.Remove(interactionId, out var item))
        {
            return null;
        }

        Unindex(item);
        return item;
    }

    /// <summary>Replaces the entry of the same id (after relaxation, exclusion, a priority change...).</summary>
    public void Replace(WaitingInteraction updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        if (Remove(updated.InteractionId) is null)
        {
            throw new InvalidOperationException($"Interaction '{updated.InteractionId}' is not waiting.");
        }

        Add(updated);
    }

    /// <summary>The 1-based position among waiting interactions of the same channel, by effective priority.</summary>
    public int PositionOf(string interactionId) =>
        _byId.TryGetValue(interactionId, out var item) ? _byChannel[item.Channel].CountLessThan(item) + 1 : 0;

    /// <summary>
    /// How many waiting interactions of <paramref name="channel"/> come before an interaction of this base priority
    /// and arrival that waits elsewhere (another shard of the queue): those ahead by effective priority, then by
    /// arrival; one arrived at the very same instant counts as behind. O(log n).
    /// </summary>
    public int CountAhead(string channel, int basePriority, DateTimeOffset arrival) =>
        _byChannel.TryGetValue(channel, out var set)
            ? set.CountLessThan(new WaitingInteraction(string.Empty, channel, basePriority, arrival, long.MinValue, SkillDemand.None, SkillDemand.None, 0, NoAgents))
            : 0;

    /// <summary>
    /// The highest-priority interaction this agent is eligible for, or null. Skills, capacity, exclusions and
    /// preferred-agent reservations are checked here; <paramref name="skip"/> lets the caller pass over entries
    /// it has already promised elsewhere.
    /// </summary>
    public WaitingInteraction? BestFor(AgentAvailability agent, Func<WaitingInteraction, bool>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (!agent.IsReady)
        {
            return null;
        }

        if (agent.HeldFor is { } held)
        {
            // Kept free for one exclusive-channel interaction: that one or nothing.
            return _byId.TryGetValue(held, out var h) && Fits(agent, h) && !(skip?.Invoke(h) ?? false) ? h : null;
        }

        bool Passes(WaitingInteraction item) => !item.ExcludedAgents.Contains(agent.AgentId) && !(skip?.Invoke(item) ?? false);

        WaitingInteraction? best = null;
        if (_reserved.TryGetValue(agent.AgentId, out var mine))
        {
            foreach (var item in mine)
            {
                if (Fits(agent, item) && !(skip?.Invoke(item) ?? false))
                {
                    best = item;
                    break;
                }
            }
        }

        foreach (var bucket in _buckets.Values)
        {
            if (agent.CanTake(bucket.Channel) != CapacityVerdict.Fits || !bucket.Demand.IsMetBy(agent.Skills))
            {
                continue;
            }

            // The head is the answer unless this agent must pass it over: only then walk the bucket.
            var head = bucket.Items.Min!;
            var candidate = Passes(head) ? head : bucket.Items.FirstOrDefault(Passes);
            if (candidate is not null && (best is null || _priorityOrder.Compare(candidate, best) < 0))
            {
                best = candidate;
            }
        }

        return best;
    }

    private static bool Fits(AgentAvailability agent, WaitingInteraction item) =>
        !item.ExcludedAgents.Contains(agent.AgentId)
        && agent.CanTake(item.Channel) == CapacityVerdict.Fits
        && item.Demand.IsMetBy(agent.Skills);

    private void Index(WaitingInteraction item)
    {
        if (!_byChannel.TryGetValue(item.Channel, out var channelSet))
        {
            channelSet = new RankedSet<WaitingInteraction>(_priorityOrder);
            _byChannel[item.Channel] = channelSet;
        }

        channelSet.Add(item);
        _byArrival.Add(item);

        if (item.ReservedFor is { } agentId)
        {
            if (!_reserved.TryGetValue(agentId, out var set))
            {
                set = new RankedSet<WaitingInteraction>(_priorityOrder);
                _reserved[agentId] = set;
            }

            set.Add(item);
            return;
        }

        var key = BucketKey(item);
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new Bucket(item.Channel, item.Demand, new RankedSet<WaitingInteraction>(_priorityOrder));
            _buckets[key] = bucket;
        }

        bucket.Items.Add(item);
    }

    private void Unindex(WaitingInteraction item)
    {
        var channelSet = _byChannel[item.Channel];
        channelSet.Remove(item);
        if (channelSet.Count == 0)
        {
            _byChannel.Remove(item.Channel);
        }

        _byArrival.Remove(item);

        if (item.ReservedFor is { } agentId)
        {
            var set = _reserved[agentId];
            set.Remove(item);
            if (set.Count == 0)
            {
                _reserved.Remove(agentId);
            }

            return;
        }

        var key = BucketKey(item);
        var bucket = _buckets[key];
        bucket.Items.Remove(item);
        if (bucket.Items.Count == 0)
        {
            // Empty buckets go, so a decision only ever iterates over buckets holding work.
            _buckets.Remove(key);
        }
    }

    private static string BucketKey(WaitingInteraction item) => item.Channel + "\n" + item.Demand.Signature;

    private sealed record Bucket(string Channel, SkillDemand Demand, RankedSet<WaitingInteraction> Items);

    /// <summary>Highest effective priority first; then earliest arrival, then queue sequence, then id.</summary>
    private sealed class PriorityOrder(double agingRate) : IComparer<WaitingInteraction>
    {
        public int Compare(WaitingInteraction? x, WaitingInteraction? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            return QueueOrder.Compare(
                agingRate,
                (x.BasePriority, x.Arrival, x.Sequence, x.InteractionId),
                (y.BasePriority, y.Arrival, y.Sequence, y.InteractionId));
        }
    }

    private sealed class ArrivalOrder : IComparer<WaitingInteraction>
    {
        public static readonly ArrivalOrder Instance = new();

        public int Compare(WaitingInteraction? x, WaitingInteraction? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var c = x.Arrival.CompareTo(y.Arrival);
            if (c != 0)
            {
                return c;
            }

            c = x.Sequence.CompareTo(y.Sequence);
            return c != 0 ? c : string.CompareOrdinal(x.InteractionId, y.InteractionId);
        }
    }
}
