namespace Omnichannel.Routing.Core;

/// <summary>
/// A queue's view of its signed-in members, indexed so that choosing an agent costs O(G log n): members are grouped
/// by identical skills and capacity profile (G groups, few in practice, since agents are trained and staffed in
/// cohorts), and each group keeps, per channel, its agents able to take one more interaction of that channel,
/// sorted by the queue's selection policy (contract §3.2). A decision looks at the head of each group that meets the
/// demand, never at every agent.
/// </summary>
public sealed class AgentPool
{
    private const int MaxCachedDemands = 1024;

    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Group[]> _groupsByDemand = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastSelected = new(StringComparer.Ordinal);
    private long _selections;

    public AgentPool(SelectionPolicy policy)
    {
        Policy = policy;
    }

    public SelectionPolicy Policy { get; }

    /// <summary>Signed-in members.</summary>
    public int Count => _members.Count;

    /// <summary>Members signed in, AVAILABLE, responding and not held.</summary>
    public int ReadyCount { get; private set; }

    /// <summary>Ready members with room for one more interaction on at least one channel of their profile.</summary>
    public int AvailableCount { get; private set; }

    /// <summary>Distinct skill and capacity profiles among members: the G of a decision's cost.</summary>
    public int GroupCount => _groups.Values.Count(g => g.MemberCount > 0);

    public IEnumerable<AgentAvailability> Members => _members.Values.Select(m => m.Agent);

    public AgentAvailability? Get(string agentId) => _members.TryGetValue(agentId, out var m) ? m.Agent : null;

    /// <summary>
    /// Adds or refreshes a member. A snapshot older than the one held is ignored (false); a signed-out agent leaves
    /// the pool.
    /// </summary>
    public bool Upsert(AgentAvailability agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (_members.TryGetValue(agent.AgentId, out var existing))
        {
            if (agent.Version < existing.Agent.Version)
            {
                return false;
            }

            Unindex(existing);
            _members.Remove(agent.AgentId);
        }

        if (!agent.SignedIn)
        {
            return true;
        }

        var member = NewMember(agent, GroupOf(agent));
        _members[agent.AgentId] = member;
        Index(member);
        return true;
    }

    public bool Remove(string agentId)
    {
        if (!_members.Remove(agentId, out var member))
        {
            return false;
        }

        Unindex(member);
        _lastSelected.Remove(agentId);
        return true;
    }

    /// <summary>
    /// The best agent for one more interaction of <paramref name="channel"/> meeting <paramref name="demand"/>, by
    /// policy; ties by longest idle, then agent id. <paramref name="skip"/> passes over agents the caller must not
    /// use (rejected the interaction, a proposal already pending...).
    /// </summary>
    public AgentAvailability? SelectFor(string channel, SkillDemand demand, Func<string, bool>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(demand);
        Member? best = null;
        var bestScore = int.MinValue;
        foreach (var group in GroupsFor(channel, demand))
        {
            if (!group.ReadyByChannel.TryGetValue(channel, out var ready) || ready.Count == 0)
            {
                continue;
            }

            var score = Policy == SelectionPolicy.BestSkill ? demand.Score(group.Skills) : 0;
            if (best is not null && score < bestScore)
            {
                continue;
            }

            // The head is the answer unless it must be skipped: only then walk the set (an enumerator allocates).
            var head = ready.Min!;
            var chosen = skip is null || !skip(head.AgentId) ? head : ready.FirstOrDefault(e => !skip(e.AgentId));
            if (chosen is null)
            {
                continue;
            }

            var member = _members[chosen.AgentId];
            if (best is null || score > bestScore || PolicyOrder.Instance.Compare(member.PolicyEntry, best.PolicyEntry) < 0)
            {
                best = member;
                bestScore = score;
            }
        }

        return best?.Agent;
    }

    /// <summary>Round-robin bookkeeping: the agent goes to the back of this queue's rotation.</summary>
    public void RecordSelection(string agentId)
    {
        _lastSelected[agentId] = ++_selections;
        if (Policy == SelectionPolicy.RoundRobin && _members.TryGetValue(agentId, out var member))
        {
            Unindex(member);
            var rekeyed = member with { PolicyEntry = EntryFor(member.Agent) };
            _members[agentId] = rekeyed;
            Index(rekeyed);
        }
    }

    /// <summary>
    /// The agent to keep free for a waiting interaction of exclusive <paramref name="channel"/> that no one can take
    /// now (contract §3.11): a ready, unheld member meeting the demand, whose profile makes the channel exclusive, and who
    /// is busy only on other channels; the least loaded first, then longest idle, then id.
    /// </summary>
    public AgentAvailability? SelectHoldCandidate(string channel, SkillDemand demand, Func<string, bool>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(demand);
        Member? best = null;
        foreach (var group in GroupsFor(channel, demand))
        {
            if (!group.Profile.IsExclusive(channel))
            {
                continue;
            }

            foreach (var entry in group.BusyByLoad)
            {
                var member = _members[entry.AgentId];
                if (member.Agent.Load[channel] > 0 || (skip?.Invoke(entry.AgentId) ?? false))
                {
                    continue;
                }

                if (best is null || PolicyOrder.Instance.Compare(member.LoadEntry, best.LoadEntry) < 0)
                {
                    best = member;
                }

                break;
            }
        }

        return best?.Agent;
    }

    /// <summary>Members that meet the demand's skills and whose profile supports the channel, ready or not.</summary>
    public int CountQualified(string channel, SkillDemand demand)
    {
        ArgumentNullException.ThrowIfNull(demand);
        return GroupsFor(channel, demand).Sum(g => g.MemberCount);
    }

    private Group[] GroupsFor(string channel, SkillDemand demand)
    {
        var key = channel + "\n" + demand.Signature;
        if (_groupsByDemand.TryGetValue(key, out var groups))
        {
            return groups;
        }

        if (_groupsByDemand.Count >= MaxCachedDemands)
        {
            _groupsByDemand.Clear();
        }

        groups = _groups.Values.Where(g => g.Profile.Supports(channel) && demand.IsMetBy(g.Skills)).ToArray();
        _groupsByDemand[key] = groups;
        return groups;
    }

    private Group GroupOf(AgentAvailability agent)
    {
        var key = agent.Skills.Signature + "\n" + agent.Profile.Signature;
        if (!_groups.TryGetValue(key, out var group))
        {
            PruneEmptyGroups();
            group = new Group(agent.Skills, agent.Profile);
            _groups[key] = group;
            // A new group may meet demands already cached.
            _groupsByDemand.Clear();
        }

        return group;
    }

    private void PruneEmptyGroups()
    {
        var empty = _groups.Where(g => g.Value.MemberCount == 0).Select(g => g.Key).ToList();
        if (empty.Count > 64 && empty.Count > _groups.Count / 2)
        {
            foreach (var key in empty)
            {
                _groups.Remove(key);
            }

            _groupsByDemand.Clear();
        }
    }

    private Member NewMember(AgentAvailability agent, Group group) =>
        new(agent, group, EntryFor(agent), new Entry(agent.AgentId, agent.UnitsUsed, agent.IdleSince.UtcTicks));

    private Entry EntryFor(AgentAvailability agent)
    {
        var primary = Policy switch
        {
            SelectionPolicy.LeastOccupied => agent.Profile.Occupancy(agent.Load),
            SelectionPolicy.RoundRobin => _lastSelected.GetValueOrDefault(agent.AgentId),
            _ => 0d,
        };
        return new Entry(agent.AgentId, primary, agent.IdleSince.UtcTicks);
    }

    private void Index(Member member)
    {
        var group = member.Group;
        group.MemberCount++;
        var agent = member.Agent;
        if (!agent.AcceptsNewWork)
        {
            return;
        }

        ReadyCount++;
        if (HasRoom(agent))
        {
            AvailableCount++;
        }

        foreach (var limit in group.Profile.Limits)
        {
            if (agent.CanTake(limit.Channel) != CapacityVerdict.Fits)
            {
                continue;
            }

            if (!group.ReadyByChannel.TryGetValue(limit.Channel, out var set))
            {
                set = new SortedSet<Entry>(PolicyOrder.Instance);
                group.ReadyByChannel[limit.Channel] = set;
            }

            set.Add(member.PolicyEntry);
        }

        if (agent.Load.Total > 0)
        {
            group.BusyByLoad.Add(member.LoadEntry);
        }
    }

    private void Unindex(Member member)
    {
        var group = member.Group;
        group.MemberCount--;
        if (!member.Agent.AcceptsNewWork)
        {
            return;
        }

        ReadyCount--;
        if (HasRoom(member.Agent))
        {
            AvailableCount--;
        }

        foreach (var set in group.ReadyByChannel.Values)
        {
            set.Remove(member.PolicyEntry);
        }

        group.BusyByLoad.Remove(member.LoadEntry);
    }

    private static bool HasRoom(AgentAvailability agent) =>
        agent.Profile.Limits.Any(l => agent.CanTake(l.Channel) == CapacityVerdict.Fits);

    /// <param name="Agent">Its latest snapshot.</param>
    /// <param name="Group">Its skill and capacity cohort.</param>
    /// <param name="PolicyEntry">Its key in the ready sets, by the queue's policy.</param>
    /// <param name="LoadEntry">Its key among busy agents, by units in use (hold candidates).</param>
    private sealed record Member(AgentAvailability Agent, Group Group, Entry PolicyEntry, Entry LoadEntry);

    private sealed class Group(SkillSet skills, CapacityProfile profile)
    {
        public SkillSet Skills { get; } = skills;

        public CapacityProfile Profile { get; } = profile;

        public int MemberCount { get; set; }

        public Dictionary<string, SortedSet<Entry>> ReadyByChannel { get; } = new(StringComparer.Ordinal);

        public SortedSet<Entry> BusyByLoad { get; } = new(PolicyOrder.Instance);
    }

    /// <summary>A sort key: the policy's primary value, then longest idle, then agent id.</summary>
    private sealed record Entry(string AgentId, double Primary, long IdleTicks);

    private sealed class PolicyOrder : IComparer<Entry>
    {
        public static readonly PolicyOrder Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var c = x.Primary.CompareTo(y.Primary);
            if (c != 0)
            {
                return c;
            }

            c = x.IdleTicks.CompareTo(y.IdleTicks);
            return c != 0 ? c : string.CompareOrdinal(x.AgentId, y.AgentId);
        }
    }
}
