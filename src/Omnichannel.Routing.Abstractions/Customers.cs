using System.Collections.Immutable;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Abstractions;

/// <summary>One interaction in a customer's journey.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyEntryView(
    string InteractionId,
    string Channel,
    string QueueId,
    string? AgentId,
    InteractionState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ConnectedAt,
    DateTimeOffset? EndedAt,
    string? Disposition,
    ImmutableDictionary<string, string> Context,
    string? JourneyId,
    string? EndReason);

/// <summary>A customer's profile and what the engine knows of them.</summary>
[GenerateSerializer, Immutable]
public sealed record CustomerView(
    string CustomerId,
    string DisplayName,
    ImmutableDictionary<string, string> Attributes,
    string? LastAgentId,
    ImmutableArray<string> ActiveInteractionIds);

/// <summary>What a new interaction learns from its customer when it starts.</summary>
/// <param name="LastAgentId">The agent who last served the customer.</param>
/// <param name="JourneyId">The journey the interaction joins (a recent one's, or a new one).</param>
/// <param name="InheritedContext">Context carried over from the recent interaction of that journey.</param>
/// <param name="ActiveAgentId">The agent of the customer's open interaction on another channel, if any.</param>
/// <param name="RecentJourney">The last few interactions, newest first, for the agent's offer.</param>
[GenerateSerializer, Immutable]
public sealed record CustomerRouteContext(
    string? LastAgentId,
    string JourneyId,
    ImmutableDictionary<string, string> InheritedContext,
    string? ActiveAgentId,
    ImmutableArray<JourneyEntryView> RecentJourney);

/// <summary>One page of a customer's journey, newest first.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyPage(CustomerView Customer, ImmutableArray<JourneyEntryView> Entries, string? NextPageToken);
