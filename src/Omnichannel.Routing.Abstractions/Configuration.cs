using System.Collections.Immutable;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Abstractions;

/// <summary>A channel: configuration, not code.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelConfig(string Name, string DisplayName, bool AutoAccept, TimeSpan WrapUp);

/// <summary>The limits of one channel in a capacity profile.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelLimitConfig(string Channel, int MaxConcurrent, int UnitCost, bool Exclusive);

/// <summary>An agent's capacity profile as configured.</summary>
[GenerateSerializer, Immutable]
public sealed record CapacityConfig(int TotalUnits, ImmutableArray<ChannelLimitConfig> Channels)
{
    public CapacityProfile ToProfile() =>
        new(TotalUnits, Channels.Select(c => new ChannelLimit(c.Channel, c.MaxConcurrent, c.UnitCost, c.Exclusive)));
}

/// <summary>A required skill at a minimum level.</summary>
[GenerateSerializer, Immutable]
public sealed record RequirementConfig(string Skill, int MinimumLevel);

/// <summary>After <paramref name="After"/>, <paramref name="Skill"/> drops to <paramref name="Level"/> (removed when null).</summary>
[GenerateSerializer, Immutable]
public sealed record RelaxationStepConfig(TimeSpan After, string Skill, int? Level);

/// <summary>What overflow does with an interaction.</summary>
public enum OverflowMode
{
    /// <summary>Moves it to the target queue, keeping its arrival time.</summary>
    Instead = 0,

    /// <summary>Makes it available to the target queue's agents as well.</summary>
    Also = 1,
}

/// <summary>Overflow to another queue after a wait, or when the queue is full or closed.</summary>
[GenerateSerializer, Immutable]
public sealed record OverflowConfig(string TargetQueueId, TimeSpan After, OverflowMode Mode);

/// <summary>Answer <paramref name="Percent"/> of interactions within <paramref name="Threshold"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceLevelConfig(double Percent, TimeSpan Threshold)
{
    public static ServiceLevelConfig Default { get; } = new(80, TimeSpan.FromSeconds(20));
}

/// <summary>A queue's configuration (contract §2).</summary>
/// <remarks>
/// <see cref="Shards"/> splits a hot queue into that many queue grains (see <see cref="QueueShardKey"/>); it is last,
/// with a default of 1, so configurations stored before it existed read as unsharded.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record QueueConfig(
    string QueueId,
    string DisplayName,
    ImmutableArray<string> Channels,
    SelectionPolicy Policy,
    ServiceLevelConfig ServiceLevel,
    ImmutableArray<RelaxationStepConfig> RelaxationSteps,
    OverflowConfig? Overflow,
    int MaxSize,
    bool Closed,
    TimeSpan OfferTimeout,
    TimeSpan? WrapUp,
    double AgingRate,
    bool PreferActiveAgent,
    int Shards = 1)
{
    public static readonly TimeSpan DefaultOfferTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The limit on <see cref="MaxSize"/> each shard applies: its even share, rounded up (0 = no limit).</summary>
    public int MaxSizePerShard => MaxSize <= 0 || Shards <= 1 ? MaxSize : (MaxSize + Shards - 1) / Shards;

    public SkillRelaxation ToRelaxation() =>
        new(RelaxationSteps.Select(s => new RelaxationStep(s.After, s.Skill, s.Level)));
}

/// <summary>An agent's definition (contract §2): who they are, what they can do, where they work.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentConfig(
    string AgentId,
    string DisplayName,
    ImmutableDictionary<string, int> Skills,
    CapacityConfig Capacity,
    ImmutableArray<string> QueueIds)
{
    public SkillSet ToSkillSet() => new(Skills);
}

/// <summary>The channels every installation starts with (contract §2).</summary>
public static class BuiltInChannels
{
    public static ImmutableArray<ChannelConfig> All { get; } =
    [
        new("voice", "Voice", AutoAccept: false, WrapUp: TimeSpan.Zero),
        new("chat", "Chat", AutoAccept: false, WrapUp: TimeSpan.Zero),
        new("email", "Email", AutoAccept: false, WrapUp: TimeSpan.Zero),
        new("sms", "SMS", AutoAccept: false, WrapUp: TimeSpan.Zero),
        new("messaging", "Messaging apps", AutoAccept: false, WrapUp: TimeSpan.Zero),
        new("social", "Social", AutoAccept: false, WrapUp: TimeSpan.Zero),
        new("video", "Video", AutoAccept: false, WrapUp: TimeSpan.Zero),
        new("callback", "Callback", AutoAccept: false, WrapUp: TimeSpan.Zero),
    ];
}
