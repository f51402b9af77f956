namespace Omnichannel.Routing.Core;

/// <summary>The limits of one channel within a <see cref="CapacityProfile"/>.</summary>
/// <param name="Channel">Channel name.</param>
/// <param name="MaxConcurrent">Most interactions of this channel held at once (at least 1).</param>
/// <param name="UnitCost">Capacity units one interaction of this channel costs (0 or more).</param>
/// <param name="Exclusive">While one is active nothing else is offered, and it is offered only to an agent free of other channels.</param>
public readonly record struct ChannelLimit(string Channel, int MaxConcurrent, int UnitCost, bool Exclusive);

/// <summary>Why an agent can or cannot take one more interaction of a channel.</summary>
public enum CapacityVerdict
{
    Fits = 0,

    /// <summary>The profile has no limit for the channel, so it is never offered.</summary>
    ChannelNotInProfile,

    /// <summary>The channel's concurrent maximum is reached.</summary>
    ChannelFull,

    /// <summary>The unit budget would be exceeded.</summary>
    UnitsExhausted,

    /// <summary>An exclusive channel is active, so nothing of another channel is offered.</summary>
    ExclusiveActive,

    /// <summary>The channel is exclusive and the agent still holds work on other channels.</summary>
    BusyOnOtherChannels,

    /// <summary>The held load already breaks the profile (it shrank while work was held): nothing is offered until it fits again.</summary>
    OverLimits,
}

/// <summary>
/// How much concurrent work an agent can hold (contract §2): a per-channel maximum, a budget of capacity units with
/// a cost per channel, and exclusive channels. An offer is possible only if every limit holds after it.
/// </summary>
public sealed class CapacityProfile : IEquatable<CapacityProfile>
{
    private readonly Dictionary<string, ChannelLimit> _limits;

    public CapacityProfile(int totalUnits, IEnumerable<ChannelLimit> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (totalUnits < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(totalUnits), totalUnits, "A capacity profile needs at least one unit.");
        }

        _limits = new Dictionary<string, ChannelLimit>(StringComparer.Ordinal);
        foreach (var limit in limits)
        {
            if (limit.MaxConcurrent < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(limits), $"Channel '{limit.Channel}' needs a maximum of at least 1.");
            }

            if (limit.UnitCost < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(limits), $"Channel '{limit.Channel}' cannot cost negative units.");
            }

            if (!_limits.TryAdd(limit.Channel, limit))
            {
                throw new ArgumentException($"Channel '{limit.Channel}' is listed twice.", nameof(limits));
            }
        }

        TotalUnits = totalUnits;
        Signature = $"{totalUnits}|" + string.Join(";", _limits.Values
            .OrderBy(l => l.Channel, StringComparer.Ordinal)
            .Select(l => $"{l.Channel}:{l.MaxConcurrent}:{l.UnitCost}:{(l.Exclusive ? 'x' : '-')}"));
    }

    /// <summary>The profile of an agent that may take one interaction of any listed channel at a time.</summary>
    public static CapacityProfile SingleInteraction(params string[] channels) =>
        new(1, channels.Select(c => new ChannelLimit(c, 1, 1, true)));

    public int TotalUnits { get; }

    public IEnumerable<ChannelLimit> Limits => _limits.Values;

    /// <summary>A canonical text of the profile: equal profiles have equal signatures.</summary>
    public string Signature { get; }

    public bool Supports(string channel) => _limits.ContainsKey(channel);

    public ChannelLimit? LimitOf(string channel) => _limits.TryGetValue(channel, out var l) ? l : null;

    public bool IsExclusive(string channel) => _limits.TryGetValue(channel, out var l) && l.Exclusive;

    /// <summary>Capacity units the load uses.</summary>
    public int UnitsUsed(AgentLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var used = 0;
        foreach (var (channel, count) in load)
        {
            // A channel dropped from the profile while work was held still costs what it held; treat as a full budget.
            used += _limits.TryGetValue(channel, out var l) ? l.UnitCost * count : TotalUnits * count;
        }

        return used;
    }

    /// <summary>Share of the unit budget in use, 0..1 (more when over budget after a profile change).</summary>
    public double Occupancy(AgentLoad load) => (double)UnitsUsed(load) / TotalUnits;

    /// <summary>Whether one more interaction of <paramref name="channel"/> fits every limit.</summary>
    public CapacityVerdict CanTake(AgentLoad load, string channel)
    {
        ArgumentNullException.ThrowIfNull(load);
        if (!_limits.TryGetValue(channel, out var limit))
        {
            return CapacityVerdict.ChannelNotInProfile;
        }

        foreach (var (held, count) in load)
        {
            if (count > 0 && !string.Equals(held, channel, StringComparison.Ordinal) && IsExclusive(held))
            {
                return CapacityVerdict.ExclusiveActive;
            }
        }

        if (limit.Exclusive && load.HasOtherThan(channel))
        {
            return CapacityVerdict.BusyOnOtherChannels;
        }

        if (load[channel] + 1 > limit.MaxConcurrent)
        {
            return CapacityVerdict.ChannelFull;
        }

        if (UnitsUsed(load) + limit.UnitCost > TotalUnits)
        {
            return CapacityVerdict.UnitsExhausted;
        }

        // Another channel may be over its maximum, or no longer in the profile, after a profile change: every limit
        // must hold after the offer (contract §2), so nothing more is offered until the held load fits again.
        if (!Admits(load))
        {
            return CapacityVerdict.OverLimits;
        }

        return CapacityVerdict.Fits;
    }

    /// <summary>Whether the load respects every limit (the contract's §4 capacity invariant).</summary>
    public bool Admits(AgentLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var exclusiveActive = false;
        foreach (var (channel, count) in load)
        {
            if (!_limits.TryGetValue(channel, out var limit) || count > limit.MaxConcurrent)
            {
                return false;
            }

            exclusiveActive |= limit.Exclusive;
        }

        if (exclusiveActive && load.Count() > 1)
        {
            return false;
        }

        return UnitsUsed(load) <= TotalUnits;
    }

    public bool Equals(CapacityProfile? other) => other is not null && Signature == other.Signature;

    public override bool Equals(object? obj) => Equals(obj as CapacityProfile);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Signature);

    public override string ToString() => Signature;
}
