using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

public class WaitingListTests
{
    private static readonly SkillDemand Billing5 = new([new SkillRequirement("billing", 5)]);

    private static long _sequence;

    private static WaitingInteraction Item(
        string id,
        int basePriority = 0,
        double arrival = 0,
        string channel = "chat",
        SkillDemand? demand = null,
        long? sequence = null,
        IReadOnlySet<string>? excluded = null,
        string? reservedFor = null) =>
        new(
            id,
            channel,
            basePriority,
            At(arrival),
            sequence ?? Interlocked.Increment(ref _sequence),
            demand ?? SkillDemand.None,
            demand ?? SkillDemand.None,
            0,
            excluded ?? Set(),
            reservedFor,
            reservedFor is null ? null : At(arrival + 30));

    private static WaitingList List(double agingRate, params WaitingInteraction[] items)
    {
        var list = new WaitingList(agingRate);
        foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static string? Best(WaitingList list, AgentAvailability agent, Func<WaitingInteraction, bool>? skip = null) =>
        list.BestFor(agent, skip)?.InteractionId;

    // ---- priority and aging. ----

    [Fact]
    public void Highest_base_priority_goes_first_without_aging()
    {
        var list = List(0, Item("low", 1, arrival: 0), Item("high", 9, arrival: 100), Item("mid", 5, arrival: 50));

        Assert.Equal("high", Best(list, Agent("a")));
        Assert.Equal(1, list.PositionOf("high"));
        Assert.Equal(2, list.PositionOf("mid"));
        Assert.Equal(3, list.PositionOf("low"));
    }

    [Fact]
    public void Aging_puts_an_old_low_priority_interaction_ahead_of_a_newer_higher_one()
    {
        // Aging 1/s. "old" (base 0) arrived at 0 s. "vip" (base 50) arrives when "old" has waited 60 s:
        // at any instant old = t, vip = 50 + (t - 60) = t - 10, so old stays ahead.
        var list = List(1.0, Item("old", 0, arrival: 0), Item("vip", 50, arrival: 60));

        Assert.Equal("old", Best(list, Agent("a")));
        Assert.Equal(1, list.PositionOf("old"));
    }

    [Fact]
    public void Newer_higher_priority_interaction_goes_first_when_the_old_one_has_not_waited_long_enough()
    {
        // "vip" arrives after 30 s of waiting: old = t, vip = t + 20.
        var list = List(1.0, Item("old", 0, arrival: 0), Item("vip", 50, arrival: 30));

        Assert.Equal("vip", Best(list, Agent("a")));
    }

    [Fact]
    public void Slower_aging_needs_a_longer_wait_to_overtake()
    {
        // Aging 0.5/s: a 60 s head start is worth 30 points, not enough against a base difference of 50.
        var list = List(0.5, Item("old", 0, arrival: 0), Item("vip", 50, arrival: 60));

        Assert.Equal("vip", Best(list, Agent("a")));

        // 120 s is worth 60 points: now it is.
        var later = List(0.5, Item("old", 0, arrival: 0), Item("vip", 50, arrival: 120));
        Assert.Equal("old", Best(later, Agent("a")));
    }

    [Fact]
    public void Equal_effective_priority_goes_to_the_earliest_arrival()
    {
        // Aging 1/s: base 10 arriving at 10 s equals base 0 arriving at 0 s at every instant.
        var list = List(1.0, Item("later", 10, arrival: 10, sequence: 1), Item("earlier", 0, arrival: 0, sequence: 2));

        Assert.Equal("earlier", Best(list, Agent("a")));
        Assert.Equal(2, list.PositionOf("later"));
    }

    [Fact]
    public void Equal_priority_and_arrival_go_by_queue_sequence()
    {
        var list = List(1.0, Item("second", 5, arrival: 0, sequence: 2), Item("first", 5, arrival: 0, sequence: 1));

        Assert.Equal("first", Best(list, Agent("a")));
    }

    // ---- BestFor respects what the agent can take. ----

    [Fact]
    public void BestFor_skips_channels_the_agent_has_no_capacity_for()
    {
        var list = List(0, Item("chat", 9, channel: "chat"), Item("email", 1, channel: "email"));

        // Chat maximum 2 reached (60 units): an email (20 units) still fits.
        Assert.Equal("email", Best(list, Agent("a", load: Load(("chat", 2)), profile: SpecProfile(chatMax: 2))));
        Assert.Null(Best(list, Agent("b", load: Load(("voice", 1)))));
    }

    [Fact]
    public void BestFor_skips_interactions_whose_skills_the_agent_lacks()
    {
        var list = List(0, Item("expert", 9, demand: Billing5), Item("anyone", 1));

        Assert.Equal("anyone", Best(list, Agent("a", skills: SkillSet.Of(("billing", 4)))));
        Assert.Equal("expert", Best(list, Agent("b", skills: SkillSet.Of(("billing", 5)))));
    }

    [Fact]
    public void BestFor_never_returns_an_interaction_to_an_agent_that_rejected_it()
    {
        var list = List(0, Item("rejected", 9, excluded: Set("a")), Item("other", 1));

        Assert.Equal("other", Best(list, Agent("a")));
        Assert.Equal("rejected", Best(list, Agent("b")));
    }

    [Fact]
    public void Interaction_reserved_for_a_preferred_agent_is_offered_only_to_that_agent()
    {
        var list = List(0, Item("mine", 1, reservedFor: "pref"), Item("vip", 9, reservedFor: "someone-else"));

        Assert.Null(Best(list, Agent("a")));
        Assert.Equal("mine", Best(list, Agent("pref")));
    }

    [Fact]
    public void Preferred_agent_still_takes_the_highest_priority_among_its_reserved_and_the_open_interactions()
    {
        var list = List(0, Item("mine", 1, reservedFor: "pref"), Item("open-high", 9), Item("open-low", 0));

        Assert.Equal("open-high", Best(list, Agent("pref")));
        Assert.Equal("mine", Best(list, Agent("pref"), skip: i => i.InteractionId == "open-high"));
    }

    [Fact]
    public void Reserved_interaction_the_preferred_agent_cannot_take_is_passed_over()
    {
        var list = List(0, Item("mine-chat", 9, reservedFor: "pref"), Item("mine-email", 1, channel: "email", reservedFor: "pref"));

        Assert.Equal("mine-email", Best(list, Agent("pref", load: Load(("chat", 2)), profile: SpecProfile(chatMax: 2))));
    }

    [Fact]
    public void Released_reservation_makes_the_interaction_available_to_everyone()
    {
        var item = Item("i1", 1, reservedFor: "pref");
        var list = List(0, item);
        Assert.Null(Best(list, Agent("a")));

        list.Replace(item with { ReservedFor = null, ReservedUntil = null });

        Assert.Equal("i1", Best(list, Agent("a")));
    }

    [Fact]
    public void Agent_held_for_an_interaction_gets_that_one_or_nothing()
    {
        var list = List(0, Item("call", 1, channel: "voice"), Item("chat-vip", 9));

        Assert.Equal("call", Best(list, Agent("a", heldFor: "call")));
        Assert.Null(Best(list, Agent("a", heldFor: "call"), skip: i => i.InteractionId == "call"));
        Assert.Null(Best(list, Agent("a", heldFor: "call", load: Load(("chat", 1)))));
        Assert.Null(Best(list, Agent("a", heldFor: "gone")));
    }

    [Fact]
    public void Agent_that_is_not_ready_gets_nothing()
    {
        var list = List(0, Item("i1"));

        Assert.Null(Best(list, Agent("a", presence: Presence.Away)));
        Assert.Null(Best(list, Agent("a", notResponding: true)));
        Assert.Null(Best(list, Agent("a", signedIn: false)));
    }

    [Fact]
    public void Skip_predicate_passes_over_interactions_promised_elsewhere()
    {
        var list = List(0, Item("a", 3), Item("b", 2), Item("c", 1));

        Assert.Equal("c", Best(list, Agent("x"), skip: i => i.InteractionId is "a" or "b"));
    }

    [Fact]
    public void Relaxed_demand_lets_a_less_skilled_agent_take_the_interaction()
    {
        var item = Item("i1", demand: Billing5);
        var list = List(0, item);
        var junior = Agent("a", skills: SkillSet.Of(("billing", 2)));
        Assert.Null(Best(list, junior));

        var relaxation = new SkillRelaxation([new RelaxationStep(TimeSpan.FromSeconds(30), "billing", 2)]);
        list.Replace(item with { Demand = relaxation.Apply(item.BaseDemand, 1), RelaxationStepsApplied = 1 });

        Assert.Equal("i1", Best(list, junior));
    }

    // ---- positions, counts and bookkeeping. ----

    [Fact]
    public void PositionOf_ranks_within_the_interaction_channel_only()
    {
        var list = List(
            0,
            Item("chat-1", 9),
            Item("chat-2", 5),
            Item("email-1", 1, channel: "email"),
            Item("email-2", 0, channel: "email"));

        Assert.Equal(1, list.PositionOf("chat-1"));
        Assert.Equal(2, list.PositionOf("chat-2"));
        Assert.Equal(1, list.PositionOf("email-1"));
        Assert.Equal(2, list.PositionOf("email-2"));
        Assert.Equal(0, list.PositionOf("unknown"));
        Assert.Equal(2, list.CountOf("chat"));
        Assert.Equal(0, list.CountOf("voice"));
    }

    [Fact]
    public void PositionOf_counts_reserved_interactions_of_the_channel_too()
    {
        var list = List(0, Item("reserved", 9, reservedFor: "pref"), Item("open", 1));

        Assert.Equal(2, list.PositionOf("open"));
    }

    [Fact]
    public void Positions_move_up_as_interactions_ahead_leave()
    {
        var list = List(0, Item("a", 3), Item("b", 2), Item("c", 1));

        Assert.Equal("a", list.Remove("a")?.InteractionId);

        Assert.Equal(1, list.PositionOf("b"));
        Assert.Equal(2, list.PositionOf("c"));
        Assert.False(list.Contains("a"));
        Assert.Null(list.Remove("a"));
    }

    [Fact]
    public void OldestFirst_lists_by_arrival_regardless_of_priority()
    {
        var list = List(1.0, Item("b", 50, arrival: 20), Item("a", 0, arrival: 10), Item("c", 99, arrival: 30));

        Assert.Equal(["a", "b", "c"], list.OldestFirst.Select(i => i.InteractionId));
    }

    [Fact]
    public void Interactions_with_the_same_channel_and_demand_share_a_bucket_and_empty_buckets_go()
    {
        var list = List(0, Item("a"), Item("b"), Item("c", demand: Billing5), Item("d", channel: "email"), Item("e", reservedFor: "pref"));

        Assert.Equal(3, list.BucketCount);
        list.Remove("c");
        list.Remove("d");
        Assert.Equal(1, list.BucketCount);
        Assert.Equal(3, list.Count);
    }

    [Fact]
    public void Same_interaction_cannot_wait_twice()
    {
        var list = List(0, Item("i1"));

        Assert.Throws<InvalidOperationException>(() => list.Add(Item("i1")));
        Assert.Throws<InvalidOperationException>(() => list.Replace(Item("i2")));
        Assert.True(list.TryGet("i1", out var found));
        Assert.Equal("i1", found.InteractionId);
    }

    [Fact]
    public void Priority_change_reorders_the_line()
    {
        var low = Item("low", 1);
        var list = List(0, low, Item("high", 5));

        list.Replace(low with { BasePriority = 10 });

        Assert.Equal(1, list.PositionOf("low"));
        Assert.Equal("low", Best(list, Agent("a")));
    }

    [Fact]
    public void Negative_aging_rate_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WaitingList(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WaitingList(double.NaN));
    }
}
