using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Benchmarks;

/// <summary>
/// A realistic staff for the benchmarks: a fixed number of skill and capacity cohorts (agents are trained and
/// staffed in groups), so the number of agents grows while the number of cohorts stays the same.
/// </summary>
internal static class CoreFixtures
{
    /// <summary>Skill cohorts; with two capacity profiles this makes 16 groups in a queue's pool.</summary>
    public const int SkillCohorts = 8;

    public static readonly DateTimeOffset Start = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Products = ["billing", "tech", "sales", "retention"];

    public static readonly CapacityProfile Digital = new(100, [new ChannelLimit("chat", 3, 30, false), new ChannelLimit("email", 2, 20, false)]);

    public static readonly CapacityProfile Blended = new(100, [new ChannelLimit("voice", 1, 100, true), new ChannelLimit("chat", 2, 40, false), new ChannelLimit("email", 2, 20, false)]);

    public static SkillSet Skills(int cohort)
    {
        var levels = new List<KeyValuePair<string, int>> { new("english", 5 + (cohort % 5)) };
        for (var p = 0; p < Products.Length; p++)
        {
            levels.Add(new(Products[p], 2 + ((cohort + p) % 8)));
        }

        return new SkillSet(levels);
    }

    /// <summary>Agent <paramref name="i"/>: its cohort, profile and idle time spread so the sorted sets are realistic.</summary>
    public static AgentAvailability Agent(int i, SkillSet[] cohorts, long version = 1, AgentLoad? load = null, DateTimeOffset? idleSince = null) =>
        new(
            $"agent-{i:D6}",
            version,
            SignedIn: true,
            Presence.Available,
            NotResponding: false,
            cohorts[i % cohorts.Length],
            i % 3 == 0 ? Blended : Digital,
            load ?? (i % 4 == 0 ? AgentLoad.Empty.Add("chat") : AgentLoad.Empty),
            idleSince ?? Start.AddMilliseconds(-((i * 7919L) % 3_600_000)),
            HeldFor: null);

    public static SkillSet[] AllCohorts() => Enumerable.Range(0, SkillCohorts).Select(Skills).ToArray();

    /// <summary>What arrivals ask for: english at 3, and for half of them a product at 2..5.</summary>
    public static SkillDemand Demand(int i) => i % 2 == 0
        ? new SkillDemand([new SkillRequirement("english", 3)])
        : new SkillDemand([new SkillRequirement("english", 3), new SkillRequirement(Products[i % Products.Length], 2 + (i % 4))], i % 3 == 0 ? ["vip"] : null);
}
