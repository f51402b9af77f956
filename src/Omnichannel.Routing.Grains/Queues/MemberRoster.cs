using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// A queue's view of its members: the latest snapshot each sent, turned into the core's
/// <see cref="AgentAvailability"/> in an <see cref="AgentPool"/> ordered by the queue's selection policy.
/// </summary>
internal sealed class MemberRoster
{
    private readonly Dictionary<string, AgentSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (CapacityConfig Source, CapacityProfile Profile)> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ImmutableDictionary<string, int> Source, SkillSet Skills)> _skillSets = new(StringComparer.Ordinal);

    public MemberRoster(SelectionPolicy policy) => Pool = new AgentPool(policy);

    /// <summary>The members' availability, for selection; replaced when the policy changes.</summary>
    public AgentPool Pool { get; private set; }

    public AgentSnapshot? SnapshotOf(string agentId) => _snapshots.GetValueOrDefault(agentId);

    public long? VersionOf(string agentId) => _snapshots.TryGetValue(agentId, out var s) ? s.Version : null;

    /// <summary>
    /// Takes a member's snapshot unless a newer one is known; <paramref name="fresh"/> says whether it was taken.
    /// Returns the member's availability as the pool now holds it.
    /// </summary>
    public AgentAvailability? Upsert(AgentSnapshot snapshot, out bool fresh)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (_snapshots.TryGetValue(snapshot.AgentId, out var known) && known.Version > snapshot.Version)
        {
            fresh = false;
            return Pool.Get(snapshot.AgentId);
        }

        _snapshots[snapshot.AgentId] = snapshot;
        var availability = ToAvailability(snapshot);
        Pool.Upsert(availability);
        fresh = true;
        return availability;
    }

    public void Forget(string agentId)
    {
        _snapshots.Remove(agentId);
        _profiles.Remove(agentId);
        _skillSets.Remove(agentId);
        Pool.Remove(agentId);
    }

    /// <summary>Orders the members by <paramref name="policy"/> from now on.</summary>
    public void UsePolicy(SelectionPolicy policy)
    {
        if (Pool.Policy == policy)
        {
            return;
        }

        Pool = new AgentPool(policy);
        foreach (var snapshot in _snapshots.Values)
        {
            Pool.Upsert(ToAvailability(snapshot));
        }
    }

    private AgentAvailability ToAvailability(AgentSnapshot s)
    {
        // Profiles and skills rarely change: reuse the parsed ones while the agent sends the same instance.
        if (!_profiles.TryGetValue(s.AgentId, out var profile) || !ReferenceEquals(profile.Source, s.Capacity) && profile.Source != s.Capacity)
        {
            profile = (s.Capacity, s.Capacity.ToProfile());
            _profiles[s.AgentId] = profile;
        }

        if (!_skillSets.TryGetValue(s.AgentId, out var skills) || !ReferenceEquals(skills.Source, s.Skills))
        {
            skills = (s.Skills, new SkillSet(s.Skills));
            _skillSets[s.AgentId] = skills;
        }

        return new AgentAvailability(
            s.AgentId, s.Version, s.SignedIn, s.Presence, s.NotResponding, skills.Skills, profile.Profile, AgentLoad.From(s.Load), s.IdleSince, s.HeldFor);
    }
}
