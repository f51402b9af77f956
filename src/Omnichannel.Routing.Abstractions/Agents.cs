using System.Collections.Immutable;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Abstractions;

/// <summary>What an agent publishes to its queues after every change (see <see cref="AgentAvailability"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record AgentSnapshot(
    string AgentId,
    long Version,
    bool SignedIn,
    Presence Presence,
    bool NotResponding,
    ImmutableDictionary<string, int> Skills,
    CapacityConfig Capacity,
    ImmutableDictionary<string, int> Load,
    DateTimeOffset IdleSince,
    string? HeldFor);

/// <summary>The live state of an agent.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentStatusView(
    string AgentId,
    bool SignedIn,
    Presence Presence,
    AgentActivity Activity,
    ImmutableArray<ChannelLoadView> Loads,
    int UnitsUsed,
    int UnitsTotal,
    ImmutableArray<WorkItem> Work,
    DateTimeOffset PresenceSince,
    DateTimeOffset IdleSince);

/// <summary>Load and limit of one channel.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelLoadView(string Channel, int Active, int MaxConcurrent);

/// <summary>An agent's definition with its live status.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentDetails(AgentConfig Config, AgentStatusView Status);

/// <summary>A queue suggests one of its waiting interactions to an agent, which claims it if it still can.</summary>
[GenerateSerializer, Immutable]
public sealed record Proposal(string QueueId, QueueEntry Entry, long ProposalId, int Shard = 0)
{
    /// <summary>The grain key of the shard that proposes, the one to claim from or decline to.</summary>
    public string ShardKey => new QueueShardKey(QueueId, Shard).GrainKey;
}

/// <summary>A queue's answer to an agent claiming one of its interactions.</summary>
[GenerateSerializer, Immutable]
public sealed record ClaimResult(
    bool Granted,
    QueueEntry? Entry,
    TimeSpan OfferTimeout,
    bool AutoAccept,
    TimeSpan WrapUp,
    string? Reason)
{
    public static ClaimResult Refused(string reason) => new(false, null, TimeSpan.Zero, false, TimeSpan.Zero, reason);
}

/// <summary>What a newly attached offer stream starts with: the agent's status, then the offers outstanding.</summary>
[GenerateSerializer, Immutable]
public sealed record OfferStreamAttachment(AgentStatusView Status, ImmutableArray<OfferView> Offers);

/// <summary>An offer as the agent's desktop receives it.</summary>
[GenerateSerializer, Immutable]
public sealed record OfferView(
    InteractionSnapshot Interaction,
    DateTimeOffset OfferedAt,
    DateTimeOffset ExpiresAt,
    bool AutoAccepted,
    ImmutableArray<JourneyEntryView> RecentJourney);

/// <summary>What an interaction grants the agent that reserved it.</summary>
[GenerateSerializer, Immutable]
public sealed record OfferGrant(InteractionSnapshot Interaction, ImmutableArray<JourneyEntryView> RecentJourney);

/// <summary>An agent's occupancy (contract §5), as workforce tools read it.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentOccupancyView(
    string AgentId,
    bool SignedIn,
    Presence Presence,
    AgentActivity Activity,
    DateTimeOffset StateSince,
    ImmutableDictionary<Presence, TimeSpan> PresenceTime,
    ImmutableDictionary<AgentActivity, TimeSpan> ActivityTime,
    ImmutableArray<ChannelLoadView> Loads,
    int UnitsUsed,
    int UnitsTotal,
    double OccupancyPercentRecent,
    double OccupancyPercentToday,
    ImmutableArray<ChannelHandlingView> Handling,
    ImmutableArray<string> QueueIds,
    DateTimeOffset UpdatedAt,
    long Sequence = 0);

/// <summary>Handling figures of one channel today.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelHandlingView(string Channel, long Handled, TimeSpan AverageHandleTime, TimeSpan AverageWrapUpTime);
