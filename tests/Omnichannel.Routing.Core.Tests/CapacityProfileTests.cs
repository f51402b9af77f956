using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

public class CapacityProfileTests
{
    private static readonly CapacityProfile Spec = SpecProfile();

    // ---- the contract's §2 example: 100 units; voice 100, chat 30, email 20. ----

    [Fact]
    public void Spec_example_three_chats_fit_in_90_units()
    {
        var load = AgentLoad.Empty;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(CapacityVerdict.Fits, Spec.CanTake(load, "chat"));
            load = load.Add("chat");
        }

        Assert.Equal(90, Spec.UnitsUsed(load));
        Assert.True(Spec.Admits(load));
    }

    [Fact]
    public void Spec_example_fourth_chat_is_refused_by_the_channel_maximum()
    {
        Assert.Equal(CapacityVerdict.ChannelFull, Spec.CanTake(Load(("chat", 3)), "chat"));
    }

    [Fact]
    public void Spec_example_fourth_chat_is_refused_by_the_unit_budget_when_the_maximum_allows_it()
    {
        var roomy = SpecProfile(chatMax: 5);

        Assert.Equal(CapacityVerdict.UnitsExhausted, roomy.CanTake(Load(("chat", 3)), "chat"));
        Assert.False(roomy.Admits(Load(("chat", 4))));
    }

    [Fact]
    public void Spec_example_two_chats_and_one_email_fit_in_80_units()
    {
        var load = Load(("chat", 2));

        Assert.Equal(CapacityVerdict.Fits, Spec.CanTake(load, "email"));
        load = load.Add("email");
        Assert.Equal(80, Spec.UnitsUsed(load));
        Assert.True(Spec.Admits(load));
    }

    [Fact]
    public void Spec_example_two_chats_and_two_emails_fill_the_budget_exactly_and_a_third_email_does_not_fit()
    {
        var load = Load(("chat", 2), ("email", 2));

        Assert.Equal(100, Spec.UnitsUsed(load));
        Assert.True(Spec.Admits(load));
        Assert.Equal(CapacityVerdict.UnitsExhausted, Spec.CanTake(load, "email"));
        Assert.Equal(CapacityVerdict.UnitsExhausted, Spec.CanTake(load, "chat"));
    }

    [Fact]
    public void Spec_example_one_voice_call_uses_the_whole_budget()
    {
        Assert.Equal(CapacityVerdict.Fits, Spec.CanTake(AgentLoad.Empty, "voice"));
        Assert.Equal(100, Spec.UnitsUsed(Load(("voice", 1))));
        Assert.Equal(1.0, Spec.Occupancy(Load(("voice", 1))));
    }

    // ---- Per-channel maximum. ----

    [Fact]
    public void Channel_maximum_holds_even_when_units_remain()
    {
        var profile = new CapacityProfile(1000, [new ChannelLimit("email", 2, 1, false)]);

        Assert.Equal(CapacityVerdict.Fits, profile.CanTake(Load(("email", 1)), "email"));
        Assert.Equal(CapacityVerdict.ChannelFull, profile.CanTake(Load(("email", 2)), "email"));
        Assert.False(profile.Admits(Load(("email", 3))));
    }

    // ---- Unit budget. ----

    [Fact]
    public void Unit_budget_is_shared_across_channels()
    {
        // Email alone would allow 5, but 2 chats already use 60 of 100 units: only 2 emails (40) fit beside them.
        var load = Load(("chat", 2), ("email", 1));

        Assert.Equal(CapacityVerdict.Fits, Spec.CanTake(load, "email"));
        Assert.Equal(CapacityVerdict.UnitsExhausted, Spec.CanTake(load.Add("email"), "email"));
    }

    [Fact]
    public void Zero_cost_channel_is_limited_only_by_its_maximum()
    {
        var profile = new CapacityProfile(10, [new ChannelLimit("chat", 1, 10, false), new ChannelLimit("sms", 4, 0, false)]);
        var load = Load(("chat", 1), ("sms", 3));

        Assert.Equal(CapacityVerdict.Fits, profile.CanTake(load, "sms"));
        Assert.Equal(CapacityVerdict.ChannelFull, profile.CanTake(load.Add("sms"), "sms"));
    }

    [Fact]
    public void Occupancy_is_the_share_of_units_in_use()
    {
        Assert.Equal(0.0, Spec.Occupancy(AgentLoad.Empty));
        Assert.Equal(0.6, Spec.Occupancy(Load(("chat", 2))), 10);
        Assert.Equal(0.5, Spec.Occupancy(Load(("chat", 1), ("email", 1))), 10);
    }

    // ---- Exclusive channels. ----

    [Fact]
    public void Exclusive_channel_blocks_other_channels_while_active()
    {
        var onCall = Load(("voice", 1));

        Assert.Equal(CapacityVerdict.ExclusiveActive, Spec.CanTake(onCall, "chat"));
        Assert.Equal(CapacityVerdict.ExclusiveActive, Spec.CanTake(onCall, "email"));
    }

    [Fact]
    public void Exclusive_channel_blocks_other_channels_even_when_units_would_allow_them()
    {
        var profile = new CapacityProfile(1000, [new ChannelLimit("voice", 1, 1, true), new ChannelLimit("chat", 3, 1, false)]);

        Assert.Equal(CapacityVerdict.ExclusiveActive, profile.CanTake(Load(("voice", 1)), "chat"));
        Assert.False(profile.Admits(Load(("voice", 1), ("chat", 1))));
    }

    [Fact]
    public void Exclusive_channel_is_offered_only_to_an_agent_free_of_other_channels()
    {
        var profile = new CapacityProfile(1000, [new ChannelLimit("voice", 1, 1, true), new ChannelLimit("email", 5, 1, false)]);

        Assert.Equal(CapacityVerdict.BusyOnOtherChannels, profile.CanTake(Load(("email", 1)), "voice"));
        Assert.Equal(CapacityVerdict.Fits, profile.CanTake(AgentLoad.Empty, "voice"));
    }

    [Fact]
    public void Exclusive_channel_with_a_higher_maximum_admits_more_of_itself_only()
    {
        var profile = new CapacityProfile(10, [new ChannelLimit("video", 2, 1, true), new ChannelLimit("chat", 3, 1, false)]);

        Assert.Equal(CapacityVerdict.Fits, profile.CanTake(Load(("video", 1)), "video"));
        Assert.Equal(CapacityVerdict.ChannelFull, profile.CanTake(Load(("video", 2)), "video"));
        Assert.Equal(CapacityVerdict.ExclusiveActive, profile.CanTake(Load(("video", 1)), "chat"));
        Assert.True(profile.Admits(Load(("video", 2))));
    }

    [Fact]
    public void SingleInteraction_profile_takes_one_interaction_of_any_listed_channel_at_a_time()
    {
        var profile = CapacityProfile.SingleInteraction("voice", "chat");

        Assert.Equal(CapacityVerdict.Fits, profile.CanTake(AgentLoad.Empty, "chat"));
        Assert.Equal(CapacityVerdict.ChannelFull, profile.CanTake(Load(("chat", 1)), "chat"));
        Assert.NotEqual(CapacityVerdict.Fits, profile.CanTake(Load(("chat", 1)), "voice"));
        Assert.NotEqual(CapacityVerdict.Fits, profile.CanTake(Load(("voice", 1)), "chat"));
    }

    // ---- Channel not in profile. ----

    [Fact]
    public void Channel_not_in_profile_is_never_offered()
    {
        Assert.Equal(CapacityVerdict.ChannelNotInProfile, Spec.CanTake(AgentLoad.Empty, "sms"));
        Assert.False(Spec.Supports("sms"));
        Assert.Null(Spec.LimitOf("sms"));
        Assert.True(Spec.Supports("chat"));
    }

    [Fact]
    public void Held_work_on_a_channel_dropped_from_the_profile_costs_the_whole_budget()
    {
        Assert.Equal(100, Spec.UnitsUsed(Load(("sms", 1))));
        Assert.False(Spec.Admits(Load(("sms", 1))));
        Assert.Equal(CapacityVerdict.UnitsExhausted, Spec.CanTake(Load(("sms", 1)), "email"));
    }

    // ---- Admits(), the §4 invariant. ----

    [Fact]
    public void Admits_accepts_every_load_reached_through_Fits_verdicts()
    {
        // Exhaust each channel mix greedily: every step CanTake allows must keep the invariant.
        foreach (var order in new[] { "chat chat email email", "email email email email email", "voice", "email chat email chat" })
        {
            var load = AgentLoad.Empty;
            foreach (var channel in order.Split(' '))
            {
                Assert.Equal(CapacityVerdict.Fits, Spec.CanTake(load, channel));
                load = load.Add(channel);
                Assert.True(Spec.Admits(load), $"{load} after {order}");
            }
        }
    }

    [Fact]
    public void Admits_rejects_each_broken_limit()
    {
        Assert.True(Spec.Admits(AgentLoad.Empty));
        Assert.False(Spec.Admits(Load(("chat", 4))));                  // over the channel maximum
        Assert.False(Spec.Admits(Load(("chat", 3), ("email", 1))));    // 110 units
        Assert.False(Spec.Admits(Load(("voice", 1), ("email", 1))));   // exclusive beside another channel
        Assert.False(Spec.Admits(Load(("sms", 1))));                   // channel not in profile
    }

    [Fact]
    public void Profile_shrunk_below_the_held_load_offers_nothing_until_the_load_fits_again()
    {
        // Chat maximum drops from 3 to 1 while 3 chats are held (30 units): no more work of any channel may be offered,
        // although the unit budget and the email maximum alone would allow an email.
        var shrunk = new CapacityProfile(100, [new ChannelLimit("chat", 1, 10, false), new ChannelLimit("email", 5, 10, false)]);
        var held = Load(("chat", 3));

        Assert.False(shrunk.Admits(held));
        Assert.NotEqual(CapacityVerdict.Fits, shrunk.CanTake(held, "email"));
        Assert.NotEqual(CapacityVerdict.Fits, shrunk.CanTake(held, "chat"));
        Assert.NotEqual(CapacityVerdict.Fits, shrunk.CanTake(Load(("chat", 2)), "email"));
        Assert.Equal(CapacityVerdict.Fits, shrunk.CanTake(Load(("chat", 1)), "email"));
    }

    [Fact]
    public void Profile_that_dropped_a_held_zero_cost_channel_offers_nothing_until_it_is_released()
    {
        var profile = new CapacityProfile(100, [new ChannelLimit("email", 5, 0, false)]);

        Assert.NotEqual(CapacityVerdict.Fits, profile.CanTake(Load(("sms", 1)), "email"));
        Assert.Equal(CapacityVerdict.Fits, profile.CanTake(AgentLoad.Empty, "email"));
    }

    // ---- Construction and identity. ----

    [Fact]
    public void Invalid_profiles_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CapacityProfile(0, [new ChannelLimit("chat", 1, 1, false)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CapacityProfile(10, [new ChannelLimit("chat", 0, 1, false)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CapacityProfile(10, [new ChannelLimit("chat", 1, -1, false)]));
        Assert.Throws<ArgumentException>(() => new CapacityProfile(10, [new ChannelLimit("chat", 1, 1, false), new ChannelLimit("chat", 2, 1, false)]));
    }

    [Fact]
    public void Profiles_with_the_same_limits_in_any_order_are_equal()
    {
        var a = new CapacityProfile(100, [new ChannelLimit("chat", 3, 30, false), new ChannelLimit("voice", 1, 100, true)]);
        var b = new CapacityProfile(100, [new ChannelLimit("voice", 1, 100, true), new ChannelLimit("chat", 3, 30, false)]);
        var c = new CapacityProfile(100, [new ChannelLimit("voice", 1, 100, false), new ChannelLimit("chat", 3, 30, false)]);

        Assert.Equal(a, b);
        Assert.Equal(a.Signature, b.Signature);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }
}
