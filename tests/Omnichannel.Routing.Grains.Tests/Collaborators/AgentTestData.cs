using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

/// <summary>Small values the agent collaborators' tests share.</summary>
internal static class AgentTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    /// <summary>Three chats or one voice call, the way a blended agent is often set up.</summary>
    public static AgentConfig Config(params string[] queueIds) => new(
        "a1",
        "Ada",
        ImmutableDictionary<string, int>.Empty.Add("english", 5),
        new CapacityConfig(100, [new ChannelLimitConfig("chat", 3, 30, false), new ChannelLimitConfig("voice", 1, 100, true)]),
        [.. queueIds]);

    public static AgentRecord SignedInAvailable(params string[] queueIds) => new()
    {
        Config = Config(queueIds),
        SignedIn = true,
        Presence = Presence.Available,
        PresenceSince = T0,
        IdleSince = T0,
        Version = 7,
    };

    public static InteractionSnapshot Interaction(string interactionId, InteractionState state, string? agentId, string? consultAgentId = null) => new(
        interactionId,
        null,
        "c1",
        "chat",
        "sales",
        state,
        5,
        [],
        [],
        ImmutableDictionary<string, string>.Empty,
        agentId,
        null,
        T0,
        T0,
        null,
        null,
        null,
        null,
        null,
        0,
        null,
        null,
        [],
        null,
        [],
        consultAgentId);
}
