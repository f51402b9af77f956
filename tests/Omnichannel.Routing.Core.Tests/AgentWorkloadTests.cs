using Microsoft.Extensions.Time.Testing;
using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

public class AgentWorkloadTests
{
    private static readonly TimeSpan OfferTimeout = TimeSpan.FromSeconds(15);

    private readonly FakeTimeProvider _clock = new(T0);

    private DateTimeOffset Now => _clock.GetUtcNow();

    private static AgentWorkload Workload() => new(SpecProfile());

    [Fact]
    public void Reserve_holds_capacity_at_once_with_an_offer_deadline()
    {
        var work = Workload();

        var item = work.Reserve("i1", "chat", "sales", Now, OfferTimeout);

        Assert.Equal(new WorkItem("i1", "chat", "sales", WorkPhase.Offered, T0, T0 + OfferTimeout), item);
        Assert.Equal(Load(("chat", 1)), work.Load);
        Assert.Equal(30, work.UnitsUsed);
        Assert.Equal([item], work.Offers);
        Assert.Equal(item, work.Find("i1"));
    }

    [Fact]
    public void The_wrap_up_granted_at_the_offer_stays_with_the_item_through_every_phase()
    {
        var work = Workload();
        work.Reserve("v1", "voice", "q", Now, OfferTimeout, TimeSpan.FromSeconds(45));

        Assert.Equal(TimeSpan.FromSeconds(45), work.Find("v1")!.WrapUp);
        Assert.Null(work.Find("v1")!.ConnectedAt);
        Assert.Equal(TimeSpan.FromSeconds(45), work.Accept("v1", Now).Item!.WrapUp);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var (_, wrapping) = work.Complete("v1", Now, work.Find("v1")!.WrapUp);

        Assert.Equal(TimeSpan.FromSeconds(45), wrapping!.WrapUp);
        Assert.Equal(T0, wrapping.ConnectedAt);
        Assert.Equal(At(165), wrapping.Deadline);
    }

    [Fact]
    public void Reserve_refuses_what_does_not_fit()
    {
        var work = Workload();
        work.Reserve("c1", "chat", "q", Now, OfferTimeout);

        Assert.Equal(CapacityVerdict.BusyOnOtherChannels, work.CanReserve("voice"));
        var error = Assert.Throws<InvalidOperationException>(() => work.Reserve("v1", "voice", "q", Now, OfferTimeout));
        Assert.Contains(nameof(CapacityVerdict.BusyOnOtherChannels), error.Message, StringComparison.Ordinal);
        Assert.Equal(Load(("chat", 1)), work.Load);
        Assert.Null(work.Find("v1"));
    }

    [Fact]
    public void Reserve_refuses_a_fourth_chat_and_a_channel_outside_the_profile()
    {
        var work = Workload();
        for (var i = 0; i < 3; i++)
        {
            work.Reserve($"c{i}", "chat", "q", Now, OfferTimeout);
        }

        Assert.Throws<InvalidOperationException>(() => work.Reserve("c3", "chat", "q", Now, OfferTimeout));
        Assert.Throws<InvalidOperationException>(() => work.Reserve("s1", "sms", "q", Now, OfferTimeout));
        Assert.Equal(3, work.Load.Total);
    }

    [Fact]
    public void Same_interaction_cannot_be_held_twice()
    {
        var work = Workload();
        work.Reserve("i1", "chat", "q", Now, OfferTimeout);

        Assert.Throws<InvalidOperationException>(() => work.Reserve("i1", "chat", "q", Now, OfferTimeout));
        Assert.Equal(1, work.Load.Total);
    }

    [Fact]
    public void Accept_connects_the_offer_and_keeps_its_capacity()
    {
        var work = Workload();
        work.Reserve("i1", "chat", "q", Now, OfferTimeout);
        _clock.Advance(TimeSpan.FromSeconds(5));

        var (change, item) = work.Accept("i1", Now);

        Assert.Equal(WorkChange.Done, change);
        Assert.Equal(WorkPhase.Connected, item!.Phase);
        Assert.Equal(At(5), item.Since);
        Assert.Null(item.Deadline);
        Assert.Equal(At(5), item.ConnectedAt);
        Assert.Equal(Load(("chat", 1)), work.Load);
        Assert.Empty(work.Offers);
    }

    [Fact]
    public void Accept_at_or_after_the_deadline_returns_Expired()
    {
        var work = Workload();
        work.Reserve("i1", "chat", "q", Now, OfferTimeout);
        _clock.Advance(OfferTimeout);

        var (change, item) = work.Accept("i1", Now);

        Assert.Equal(WorkChange.Expired, change);
        Assert.Equal(WorkPhase.Offered, item!.Phase);
        Assert.Equal(WorkPhase.Offered, work.Find("i1")!.Phase);
    }

    [Fact]
    public void Accept_just_before_the_deadline_succeeds()
    {
        var work = Workload();
        work.Reserve("i1", "chat", "q", Now, OfferTimeout);

        Assert.Equal(WorkChange.Done, work.Accept("i1", T0 + OfferTimeout - TimeSpan.FromTicks(1)).Change);
    }

    [Fact]
    public void Moves_from_the_wrong_phase_or_of_unknown_interactions_change_nothing()
    {
        var work = Workload();
        work.Reserve("i1", "chat", "q", Now, OfferTimeout);

        Assert.Equal(WorkChange.NotHeld, work.Accept("nope", Now).Change);
        Assert.Equal(WorkChange.WrongPhase, work.Complete("i1", Now, TimeSpan.Zero).Change);
        Assert.Equal(WorkChange.WrongPhase, work.EndWrapUp("i1").Change);
        work.Accept("i1", Now);
        Assert.Equal(WorkChange.WrongPhase, work.Accept("i1", Now).Change);
        Assert.Equal(WorkChange.NotHeld, work.Complete("nope", Now, TimeSpan.Zero).Change);
        Assert.Equal(WorkChange.NotHeld, work.EndWrapUp("nope").Change);
        Assert.Equal(WorkChange.NotHeld, work.Release("nope").Change);
        Assert.Equal(Load(("chat", 1)), work.Load);
    }

    [Fact]
    public void Complete_starts_wrap_up_that_still_holds_the_channel_capacity()
    {
        var work = Workload();
        work.Reserve("v1", "voice", "q", Now, OfferTimeout);
        work.Accept("v1", Now);
        _clock.Advance(TimeSpan.FromMinutes(3));

        var (change, item) = work.Complete("v1", Now, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkChange.Done, change);
        Assert.Equal(new WorkItem("v1", "voice", "q", WorkPhase.WrapUp, At(180), At(210), ConnectedAt: T0), item);
        Assert.Equal(CapacityVerdict.ExclusiveActive, work.CanReserve("chat"));
        Assert.Equal(CapacityVerdict.ChannelFull, work.CanReserve("voice"));
    }

    [Fact]
    public void EndWrapUp_gives_the_capacity_back()
    {
        var work = Workload();
        work.Reserve("v1", "voice", "q", Now, OfferTimeout);
        work.Accept("v1", Now);
        work.Complete("v1", Now, TimeSpan.FromSeconds(30));

        Assert.Equal(WorkChange.Done, work.EndWrapUp("v1").Change);

        Assert.Equal(AgentLoad.Empty, work.Load);
        Assert.Equal(CapacityVerdict.Fits, work.CanReserve("chat"));
        Assert.Null(work.Find("v1"));
    }

    [Fact]
    public void Release_drops_an_interaction_in_any_phase()
    {
        var work = Workload();
        work.Reserve("offered", "chat", "q", Now, OfferTimeout);
        work.Reserve("connected", "chat", "q", Now, OfferTimeout);
        work.Reserve("wrapping", "email", "q", Now, OfferTimeout);
        work.Accept("connected", Now);
        work.Accept("wrapping", Now);
        work.Complete("wrapping", Now, TimeSpan.FromMinutes(1));

        foreach (var id in new[] { "offered", "connected", "wrapping" })
        {
            Assert.Equal(WorkChange.Done, work.Release(id).Change);
        }

        Assert.Equal(AgentLoad.Empty, work.Load);
        Assert.Empty(work.Items);
    }

    [Fact]
    public void ExpiredOffers_lists_offers_past_their_deadline_earliest_first()
    {
        var work = Workload();
        work.Reserve("late", "email", "q", Now, TimeSpan.FromSeconds(20));
        work.Reserve("early", "chat", "q", Now, TimeSpan.FromSeconds(10));
        work.Reserve("accepted", "chat", "q", Now, TimeSpan.FromSeconds(5));
        work.Accept("accepted", Now);

        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(work.ExpiredOffers(Now));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["early"], work.ExpiredOffers(Now).Select(i => i.InteractionId));

        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(["early", "late"], work.ExpiredOffers(Now).Select(i => i.InteractionId));
    }

    [Fact]
    public void FinishedWrapUps_lists_wrap_ups_whose_time_ran_out()
    {
        var work = Workload();
        work.Reserve("a", "chat", "q", Now, OfferTimeout);
        work.Reserve("b", "chat", "q", Now, OfferTimeout);
        work.Accept("a", Now);
        work.Accept("b", Now);
        work.Complete("a", Now, TimeSpan.FromSeconds(60));
        work.Complete("b", Now, TimeSpan.Zero);

        Assert.Equal(["b"], work.FinishedWrapUps(Now).Select(i => i.InteractionId));
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(["b", "a"], work.FinishedWrapUps(Now).Select(i => i.InteractionId));
        Assert.Empty(work.ExpiredOffers(Now));
    }

    [Fact]
    public void NextDeadline_is_the_earliest_offer_expiry_or_wrap_up_end()
    {
        var work = Workload();
        Assert.Null(work.NextDeadline);

        work.Reserve("offer", "chat", "q", Now, TimeSpan.FromSeconds(15));
        work.Reserve("wrap", "email", "q", Now, TimeSpan.FromSeconds(15));
        work.Accept("wrap", Now);
        Assert.Equal(At(15), work.NextDeadline);

        work.Complete("wrap", Now, TimeSpan.FromSeconds(5));
        Assert.Equal(At(5), work.NextDeadline);

        work.EndWrapUp("wrap");
        work.Accept("offer", Now);
        Assert.Null(work.NextDeadline); // connected work is not timed
    }

    [Fact]
    public void ActivityWhen_derives_the_agent_activity()
    {
        var work = Workload();
        Assert.Equal(AgentActivity.SignedOut, work.ActivityWhen(signedIn: false, notResponding: false));
        Assert.Equal(AgentActivity.Idle, work.ActivityWhen(true, false));
        Assert.Equal(AgentActivity.NotResponding, work.ActivityWhen(true, true));

        work.Reserve("i1", "chat", "q", Now, OfferTimeout);
        Assert.Equal(AgentActivity.Busy, work.ActivityWhen(true, false));

        work.Accept("i1", Now);
        work.Reserve("i2", "chat", "q", Now, OfferTimeout);
        work.Accept("i2", Now);
        work.Complete("i1", Now, TimeSpan.FromSeconds(10));
        Assert.Equal(AgentActivity.Busy, work.ActivityWhen(true, false)); // still connected on i2

        work.Complete("i2", Now, TimeSpan.FromSeconds(10));
        Assert.Equal(AgentActivity.WrapUp, work.ActivityWhen(true, false));
        Assert.Equal(AgentActivity.SignedOut, work.ActivityWhen(false, false));
    }

    [Fact]
    public void Restored_workload_rebuilds_its_load_from_the_items()
    {
        var work = new AgentWorkload(SpecProfile(),
        [
            new WorkItem("a", "chat", "q", WorkPhase.Connected, T0, null),
            new WorkItem("b", "email", "q", WorkPhase.WrapUp, T0, At(10)),
        ]);

        Assert.Equal(Load(("chat", 1), ("email", 1)), work.Load);
        Assert.Equal(At(10), work.NextDeadline);
    }

    [Fact]
    public void Shrunk_profile_keeps_held_work_and_refuses_new_offers_until_the_load_fits()
    {
        var work = Workload();
        work.Reserve("c1", "chat", "q", Now, OfferTimeout);
        work.Reserve("c2", "chat", "q", Now, OfferTimeout);

        work.ChangeProfile(new CapacityProfile(100, [new ChannelLimit("chat", 1, 10, false), new ChannelLimit("email", 5, 10, false)]));

        Assert.Equal(2, work.Load["chat"]);
        Assert.Throws<InvalidOperationException>(() => work.Reserve("e1", "email", "q", Now, OfferTimeout));
        work.Release("c1");
        Assert.Equal(CapacityVerdict.Fits, work.CanReserve("email"));
    }

    [Fact]
    public void Grown_profile_applies_to_new_offers_at_once()
    {
        var work = Workload();
        for (var i = 0; i < 3; i++)
        {
            work.Reserve($"c{i}", "chat", "q", Now, OfferTimeout);
        }

        work.ChangeProfile(new CapacityProfile(200, [new ChannelLimit("chat", 6, 30, false)]));

        Assert.Equal(CapacityVerdict.Fits, work.CanReserve("chat"));
    }
}
