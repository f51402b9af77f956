using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

public class AgentPoolTests
{
    private static readonly SkillDemand Billing3 = new([new SkillRequirement("billing", 3)]);

    private static AgentPool Pool(SelectionPolicy policy, params AgentAvailability[] agents)
    {
        var pool = new AgentPool(policy);
        foreach (var agent in agents)
        {
            Assert.True(pool.Upsert(agent));
        }

        return pool;
    }

    private static string? Select(AgentPool pool, string channel = "chat", SkillDemand? demand = null, Func<string, bool>? skip = null) =>
        pool.SelectFor(channel, demand ?? SkillDemand.None, skip)?.AgentId;

    // ---- longest-idle (default). ----

    [Fact]
    public void LongestIdle_picks_the_agent_idle_since_the_earliest_instant()
    {
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("a", idleSinceSeconds: 10), Agent("b", idleSinceSeconds: 5), Agent("c", idleSinceSeconds: 20));

        Assert.Equal("b", Select(pool));
    }

    [Fact]
    public void LongestIdle_compares_agents_across_skill_cohorts()
    {
        var pool = Pool(
            SelectionPolicy.LongestIdle,
            Agent("a", idleSinceSeconds: 10, skills: SkillSet.Of(("billing", 9))),
            Agent("b", idleSinceSeconds: 2, skills: SkillSet.Of(("billing", 3))),
            Agent("c", idleSinceSeconds: 1, skills: SkillSet.Of(("billing", 2))));

        Assert.Equal("b", Select(pool, demand: Billing3));
        Assert.Equal("c", Select(pool));
    }

    [Fact]
    public void Ties_in_idle_time_break_by_agent_id()
    {
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("carol", 7), Agent("alice", 7), Agent("bob", 7));

        Assert.Equal("alice", Select(pool));
    }

    [Fact]
    public void Ties_in_idle_time_break_by_agent_id_across_cohorts()
    {
        var pool = Pool(
            SelectionPolicy.LongestIdle,
            Agent("b", 7, skills: SkillSet.Of(("billing", 3))),
            Agent("a", 7, skills: SkillSet.Of(("billing", 4))));

        Assert.Equal("a", Select(pool, demand: Billing3));
    }

    [Fact]
    public void Selection_is_deterministic_whatever_the_insertion_order()
    {
        var agents = Enumerable.Range(0, 12)
            .Select(i => Agent($"agent-{i:D2}", idleSinceSeconds: i % 3, skills: SkillSet.Of(("billing", 3 + (i % 4)))))
            .ToArray();

        var forward = Pool(SelectionPolicy.LongestIdle, agents);
        var backward = Pool(SelectionPolicy.LongestIdle, [.. agents.Reverse()]);

        Assert.Equal("agent-00", Select(forward, demand: Billing3));
        Assert.Equal(Select(forward, demand: Billing3), Select(backward, demand: Billing3));
    }

    // ---- least-occupied: cross-channel balancing. ----

    [Fact]
    public void LeastOccupied_picks_the_lowest_share_of_units_in_use_across_channels()
    {
        var pool = Pool(
            SelectionPolicy.LeastOccupied,
            Agent("a", idleSinceSeconds: 0, load: Load(("chat", 2))),   // 60 %
            Agent("b", idleSinceSeconds: 50, load: Load(("email", 1))), // 20 %
            Agent("c", idleSinceSeconds: 10, load: Load(("chat", 1)))); // 30 %

        Assert.Equal("b", Select(pool));
    }

    [Fact]
    public void LeastOccupied_compares_shares_between_agents_with_different_budgets()
    {
        var small = new CapacityProfile(60, [new ChannelLimit("chat", 3, 30, false)]);
        var pool = Pool(
            SelectionPolicy.LeastOccupied,
            Agent("a", load: Load(("chat", 1)), profile: small),   // 30 of 60: 50 %
            Agent("b", idleSinceSeconds: 9, load: Load(("chat", 1)))); // 30 of 100: 30 %

        Assert.Equal("b", Select(pool));
    }

    [Fact]
    public void LeastOccupied_ties_break_by_longest_idle()
    {
        var pool = Pool(
            SelectionPolicy.LeastOccupied,
            Agent("a", idleSinceSeconds: 30, load: Load(("chat", 1))),
            Agent("b", idleSinceSeconds: 20, load: Load(("email", 1))),
            Agent("c", idleSinceSeconds: 10, load: Load(("chat", 1))));

        Assert.Equal("b", Select(pool)); // 20 % beats 30 %
        pool.Upsert(Agent("b", idleSinceSeconds: 20, load: Load(("chat", 1)), version: 2));
        Assert.Equal("c", Select(pool)); // all at 30 %: idle since 10 s is the longest
    }

    // ---- best-skill. ----

    [Fact]
    public void BestSkill_picks_the_highest_score_counting_preferred_skills()
    {
        var demand = new SkillDemand([new SkillRequirement("billing", 3)], ["spanish"]);
        var pool = Pool(
            SelectionPolicy.BestSkill,
            Agent("a", idleSinceSeconds: 0, skills: SkillSet.Of(("billing", 5))),                 // 5
            Agent("b", idleSinceSeconds: 5, skills: SkillSet.Of(("billing", 8))),                 // 8
            Agent("c", idleSinceSeconds: 9, skills: SkillSet.Of(("billing", 5), ("spanish", 4))), // 9
            Agent("d", idleSinceSeconds: 0, skills: SkillSet.Of(("billing", 2), ("spanish", 10)))); // misses billing

        Assert.Equal("c", Select(pool, demand: demand));
    }

    [Fact]
    public void BestSkill_ties_break_by_longest_idle_then_id()
    {
        var pool = Pool(
            SelectionPolicy.BestSkill,
            Agent("a", idleSinceSeconds: 30, skills: SkillSet.Of(("billing", 7))),
            Agent("b", idleSinceSeconds: 10, skills: SkillSet.Of(("billing", 7), ("french", 2))),
            Agent("c", idleSinceSeconds: 0, skills: SkillSet.Of(("billing", 6))));

        Assert.Equal("b", Select(pool, demand: Billing3));
        pool.Upsert(Agent("b", idleSinceSeconds: 30, skills: SkillSet.Of(("billing", 7), ("french", 2)), version: 2));
        Assert.Equal("a", Select(pool, demand: Billing3));
    }

    [Fact]
    public void BestSkill_falls_to_a_lower_score_when_the_best_agents_are_skipped()
    {
        var pool = Pool(
            SelectionPolicy.BestSkill,
            Agent("a", skills: SkillSet.Of(("billing", 9))),
            Agent("b", skills: SkillSet.Of(("billing", 4))));

        Assert.Equal("b", Select(pool, demand: Billing3, skip: id => id == "a"));
    }

    // ---- round-robin. ----

    [Fact]
    public void RoundRobin_cycles_through_agents_least_recently_selected_first()
    {
        var pool = Pool(SelectionPolicy.RoundRobin, Agent("a", 0), Agent("b", 1), Agent("c", 2));
        var picks = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var pick = Select(pool)!;
            picks.Add(pick);
            pool.RecordSelection(pick);
        }

        Assert.Equal(["a", "b", "c", "a", "b", "c", "a"], picks);
    }

    [Fact]
    public void RoundRobin_puts_agents_never_selected_first()
    {
        var pool = Pool(SelectionPolicy.RoundRobin, Agent("a", 0), Agent("b", 1));
        pool.RecordSelection("a");
        pool.RecordSelection("b");

        pool.Upsert(Agent("z", idleSinceSeconds: 99));

        Assert.Equal("z", Select(pool));
    }

    [Fact]
    public void RoundRobin_order_survives_a_refreshed_snapshot()
    {
        var pool = Pool(SelectionPolicy.RoundRobin, Agent("a", 0), Agent("b", 1));
        pool.RecordSelection("a");

        pool.Upsert(Agent("a", idleSinceSeconds: 0, version: 2));

        Assert.Equal("b", Select(pool));
    }

    [Fact]
    public void RecordSelection_does_not_reorder_other_policies()
    {
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("a", 0), Agent("b", 1));
        pool.RecordSelection("a");

        Assert.Equal("a", Select(pool));
    }

    // ---- who is considered at all. ----

    [Fact]
    public void Skip_predicate_passes_over_agents_the_caller_cannot_use()
    {
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("a", 0), Agent("b", 1), Agent("c", 2));

        Assert.Equal("c", Select(pool, skip: id => id is "a" or "b"));
        Assert.Null(Select(pool, skip: _ => true));
    }

    [Fact]
    public void Agents_not_ready_or_held_are_not_selected()
    {
        var pool = Pool(
            SelectionPolicy.LongestIdle,
            Agent("a", 0, presence: Presence.Away),
            Agent("b", 1, notResponding: true),
            Agent("c", 2, heldFor: "call-1"),
            Agent("d", 3));

        Assert.Equal("d", Select(pool));
        Assert.Equal(4, pool.Count);
        Assert.Equal(1, pool.ReadyCount);
    }

    [Fact]
    public void Agents_without_capacity_or_skills_for_the_interaction_are_not_selected()
    {
        var pool = Pool(
            SelectionPolicy.LongestIdle,
            Agent("a", 0, load: Load(("chat", 3))),
            Agent("b", 1, load: Load(("voice", 1))),
            Agent("c", 2, profile: CapacityProfile.SingleInteraction("voice")),
            Agent("d", 3, skills: SkillSet.Of(("billing", 2))),
            Agent("e", 4, skills: SkillSet.Of(("billing", 3))));

        Assert.Equal("e", Select(pool, demand: Billing3));
        Assert.Equal("d", Select(pool));
        Assert.Null(Select(pool, channel: "sms"));
    }

    [Fact]
    public void Agent_that_regains_capacity_becomes_selectable_again()
    {
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("a", 0, load: Load(("chat", 3))));
        Assert.Null(Select(pool));

        pool.Upsert(Agent("a", 0, load: Load(("chat", 2)), version: 2));

        Assert.Equal("a", Select(pool));
    }

    [Fact]
    public void Stale_snapshot_is_ignored()
    {
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("a", 0, version: 5, presence: Presence.Away));

        Assert.False(pool.Upsert(Agent("a", 0, version: 4)));

        Assert.Equal(Presence.Away, pool.Get("a")!.Presence);
        Assert.Null(Select(pool));
        Assert.Equal(0, pool.ReadyCount);
    }

    [Fact]
    public void Newer_snapshot_replaces_the_older_one()
    {
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("a", 0, version: 5, presence: Presence.Away));

        Assert.True(pool.Upsert(Agent("a", 0, version: 6)));

        Assert.Equal("a", Select(pool));
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void Signed_out_agent_leaves_the_pool()
    {
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("a", 0), Agent("b", 1));

        Assert.True(pool.Upsert(Agent("a", 0, version: 2, signedIn: false)));

        Assert.Null(pool.Get("a"));
        Assert.Equal(1, pool.Count);
        Assert.Equal("b", Select(pool));
    }

    [Fact]
    public void Removed_agent_is_no_longer_selected()
    {
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("a", 0), Agent("b", 1));

        Assert.True(pool.Remove("a"));
        Assert.False(pool.Remove("a"));

        Assert.Equal("b", Select(pool));
        Assert.Equal(["b"], pool.Members.Select(m => m.AgentId));
    }

    [Fact]
    public void Agent_whose_skills_change_live_is_matched_by_its_new_skills()
    {
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("a", 0, skills: SkillSet.Of(("billing", 2))));
        Assert.Null(Select(pool, demand: Billing3));

        pool.Upsert(Agent("a", 0, skills: SkillSet.Of(("billing", 3)), version: 2));

        Assert.Equal("a", Select(pool, demand: Billing3));
        Assert.Equal(1, pool.CountQualified("chat", Billing3));
    }

    [Fact]
    public void CountQualified_counts_members_meeting_skills_and_channel_ready_or_not()
    {
        var pool = Pool(
            SelectionPolicy.LongestIdle,
            Agent("a", skills: SkillSet.Of(("billing", 5)), presence: Presence.Away),
            Agent("b", skills: SkillSet.Of(("billing", 5)), load: Load(("chat", 3))),
            Agent("c", skills: SkillSet.Of(("billing", 1))),
            Agent("d", skills: SkillSet.Of(("billing", 5)), profile: CapacityProfile.SingleInteraction("voice")));

        Assert.Equal(2, pool.CountQualified("chat", Billing3));
        Assert.Equal(3, pool.CountQualified("voice", Billing3));
    }

    // ---- contract §3.11: hold candidates. ----

    [Fact]
    public void Hold_candidate_is_a_ready_agent_busy_only_on_other_channels_least_units_first()
    {
        var pool = Pool(
            SelectionPolicy.LongestIdle,
            Agent("idle", 0),                                               // free: can take the call now, no hold needed
            Agent("two-chats", 1, load: Load(("chat", 2))),                 // 60 units
            Agent("one-email", 50, load: Load(("email", 1))),               // 20 units
            Agent("away", 2, load: Load(("email", 1)), presence: Presence.Away),
            Agent("held", 3, load: Load(("email", 1)), heldFor: "call-0"));

        Assert.Equal("one-email", pool.SelectHoldCandidate("voice", SkillDemand.None)?.AgentId);
        Assert.Equal("two-chats", pool.SelectHoldCandidate("voice", SkillDemand.None, id => id == "one-email")?.AgentId);
    }

    [Fact]
    public void Hold_candidates_with_equal_units_break_ties_by_longest_idle_then_id()
    {
        var pool = Pool(
            SelectionPolicy.LongestIdle,
            Agent("c", 5, load: Load(("chat", 1))),
            Agent("b", 5, load: Load(("chat", 1))),
            Agent("a", 9, load: Load(("chat", 1))));

        Assert.Equal("b", pool.SelectHoldCandidate("voice", SkillDemand.None)?.AgentId);
    }

    [Fact]
    public void Hold_candidate_must_meet_the_skills_and_have_the_channel_exclusive()
    {
        var shared = new CapacityProfile(100, [new ChannelLimit("voice", 1, 50, false), new ChannelLimit("chat", 3, 30, false)]);
        var pool = Pool(
            SelectionPolicy.LongestIdle,
            Agent("not-exclusive", 0, load: Load(("chat", 1)), profile: shared),
            Agent("unskilled", 1, load: Load(("chat", 1)), skills: SkillSet.Of(("billing", 1))),
            Agent("skilled", 2, load: Load(("chat", 2)), skills: SkillSet.Of(("billing", 3))));

        Assert.Equal("skilled", pool.SelectHoldCandidate("voice", Billing3)?.AgentId);
        Assert.Null(pool.SelectHoldCandidate("voice", new SkillDemand([new SkillRequirement("billing", 9)])));
    }

    [Fact]
    public void Agent_already_on_the_exclusive_channel_is_not_a_hold_candidate()
    {
        var twoLines = new CapacityProfile(200, [new ChannelLimit("voice", 2, 100, true), new ChannelLimit("chat", 3, 30, false)]);
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("on-call", 0, load: Load(("voice", 1)), profile: twoLines));

        Assert.Null(pool.SelectHoldCandidate("voice", SkillDemand.None));
    }

    // ---- G: cost grows with cohorts, not with agents. ----

    [Fact]
    public void GroupCount_grows_with_distinct_skill_and_profile_cohorts_not_with_agent_count()
    {
        var pool = new AgentPool(SelectionPolicy.LongestIdle);
        for (var i = 0; i < 300; i++)
        {
            pool.Upsert(Agent($"a{i}", i, skills: SkillSet.Of(("billing", 1 + (i % 2)))));
        }

        Assert.Equal(300, pool.Count);
        Assert.Equal(2, pool.GroupCount);

        pool.Upsert(Agent("voice-only", profile: CapacityProfile.SingleInteraction("voice")));
        Assert.Equal(3, pool.GroupCount);

        // Load, presence and idle time do not split a cohort.
        pool.Upsert(Agent("a0", 0, skills: SkillSet.Of(("billing", 1)), load: Load(("chat", 2)), presence: Presence.Away, version: 2));
        Assert.Equal(3, pool.GroupCount);
    }

    [Fact]
    public void Many_cohorts_emptied_by_live_skill_changes_are_pruned_without_losing_members()
    {
        var stay = SkillSet.Of(("billing", 3));
        var pool = Pool(SelectionPolicy.LongestIdle, Agent("stay", 0, skills: stay), Agent("mover", 5));
        Assert.Equal("stay", Select(pool, demand: Billing3)); // caches the groups meeting this demand

        for (var i = 0; i < 200; i++)
        {
            pool.Upsert(Agent("mover", 5, skills: SkillSet.Of(($"skill-{i}", 1)), version: 2 + i));
        }

        Assert.Equal(2, pool.GroupCount);
        Assert.Equal("stay", Select(pool, demand: Billing3));
        Assert.Equal("mover", Select(pool, demand: new SkillDemand([new SkillRequirement("skill-199", 1)])));
        Assert.Null(Select(pool, demand: new SkillDemand([new SkillRequirement("skill-0", 1)])));

        pool.Upsert(Agent("mover", 5, skills: stay, version: 1000));
        Assert.Equal(2, pool.CountQualified("chat", Billing3));
        Assert.Equal("mover", Select(pool, demand: Billing3, skip: id => id == "stay"));
    }

    [Fact]
    public void GroupCount_drops_when_a_cohort_empties()
    {
        var pool = Pool(
            SelectionPolicy.LongestIdle,
            Agent("a", skills: SkillSet.Of(("billing", 1))),
            Agent("b", skills: SkillSet.Of(("billing", 2))));

        pool.Upsert(Agent("b", skills: SkillSet.Of(("billing", 1)), version: 2));

        Assert.Equal(1, pool.GroupCount);
        Assert.Equal(2, pool.Count);
    }
}
