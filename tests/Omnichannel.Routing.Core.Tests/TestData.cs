namespace Omnichannel.Routing.Core.Tests;

/// <summary>Shared fixtures: a fixed clock origin, the contract's §2 example profile, and an agent snapshot builder.</summary>
internal static class TestData
{
    /// <summary>A fixed instant, aligned to whole seconds, so every test is reproducible.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    /// <summary>Contract §2: 100 units; voice 1 (100 units, exclusive), chat 3 (30 units), email 5 (20 units).</summary>
    public static CapacityProfile SpecProfile(int chatMax = 3, int emailMax = 5) => new(100,
    [
        new ChannelLimit("voice", 1, 100, Exclusive: true),
        new ChannelLimit("chat", chatMax, 30, Exclusive: false),
        new ChannelLimit("email", emailMax, 20, Exclusive: false),
    ]);

    public static AgentLoad Load(params (string Channel, int Count)[] counts) =>
        AgentLoad.From(counts.Select(c => new KeyValuePair<string, int>(c.Channel, c.Count)));

    public static IReadOnlySet<string> Set(params string[] items) => new HashSet<string>(items, StringComparer.Ordinal);

    public static AgentAvailability Agent(
        string id,
        double idleSinceSeconds = 0,
        SkillSet? skills = null,
        CapacityProfile? profile = null,
        AgentLoad? load = null,
        long version = 1,
        bool signedIn = true,
        Presence presence = Presence.Available,
        bool notResponding = false,
        string? heldFor = null) =>
        new(
            id,
            version,
            signedIn,
            presence,
            notResponding,
            skills ?? SkillSet.None,
            profile ?? SpecProfile(),
            load ?? AgentLoad.Empty,
            At(idleSinceSeconds),
            heldFor);
}
