using System.Text.Json;
using System.Text.Json.Serialization;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class AgentOccupancyTests
{
    // The options earlier builds stored the occupancy with.
    private static readonly JsonSerializerOptions EarlierJson = new() { Converters = { new JsonStringEnumConverter() } };

    private static AgentStatusView Status(AgentActivity activity) =>
        new("a1", true, Presence.Available, activity, [new ChannelLoadView("chat", 1, 3)], 30, 100, [], T0, T0);

    [Fact]
    public void The_stored_form_restores_the_same_figures()
    {
        var occupancy = AgentOccupancy.Restore(null, T0, 0);
        occupancy.Observe(T0, true, Presence.Available, AgentActivity.Idle, false);
        var saved = occupancy.Observe(At(600), true, Presence.Available, AgentActivity.Busy, true);

        var restored = AgentOccupancy.Restore(saved, At(9999), 0);

        var before = occupancy.View(Status(AgentActivity.Busy), ["sales"], At(900));
        var after = restored.View(Status(AgentActivity.Busy), ["sales"], At(900));
        Assert.Equal(TimeSpan.FromSeconds(900), after.PresenceTime[Presence.Available]);
        Assert.Equal(before.ActivityTime[AgentActivity.Busy], after.ActivityTime[AgentActivity.Busy]);
        Assert.Equal(TimeSpan.FromSeconds(600), after.ActivityTime[AgentActivity.Idle]);
        Assert.Equal(before.OccupancyPercentToday, after.OccupancyPercentToday);
        Assert.Equal(before.StateSince, after.StateSince);
    }

    [Fact]
    public void A_state_stored_as_json_by_an_earlier_build_restores_the_same_figures()
    {
        var occupancy = AgentOccupancy.Restore(null, T0, 0);
        occupancy.Observe(T0, true, Presence.Available, AgentActivity.Idle, false);
        var saved = occupancy.Observe(At(600), true, Presence.Available, AgentActivity.Busy, true);
        var json = JsonSerializer.Serialize(saved, EarlierJson);

        var restored = AgentOccupancy.RestoreFromJson(json, At(9999), 0);

        var before = occupancy.View(Status(AgentActivity.Busy), ["sales"], At(900));
        var after = restored.View(Status(AgentActivity.Busy), ["sales"], At(900));
        Assert.Equal(before.PresenceTime, after.PresenceTime);
        Assert.Equal(before.ActivityTime, after.ActivityTime);
        Assert.Equal(before.OccupancyPercentRecent, after.OccupancyPercentRecent);
        Assert.Equal(before.StateSince, after.StateSince);
    }

    [Fact]
    public void Views_are_numbered_after_the_first_sequence_and_carry_the_status_and_queues()
    {
        var occupancy = AgentOccupancy.Restore(null, T0, firstSequence: 41);

        var first = occupancy.View(Status(AgentActivity.Idle), ["sales", "support"], At(5));
        var second = occupancy.View(Status(AgentActivity.Idle), ["sales"], At(6));

        Assert.Equal(42, first.Sequence);
        Assert.Equal(43, second.Sequence);
        Assert.Equal("a1", first.AgentId);
        Assert.Equal(AgentActivity.Idle, first.Activity);
        Assert.Equal(30, first.UnitsUsed);
        Assert.Equal(["sales", "support"], first.QueueIds.ToArray());
        Assert.Equal(At(5), first.UpdatedAt);
    }

    [Fact]
    public void A_handled_interaction_counts_its_handle_time_from_the_accept_and_its_wrap_up()
    {
        var occupancy = AgentOccupancy.Restore(null, T0, 0);
        var wrappedUp = new WorkItem("i1", "voice", "sales", WorkPhase.WrapUp, At(240), At(270), TimeSpan.FromSeconds(30), ConnectedAt: At(60));

        occupancy.Handled(wrappedUp, At(260));

        var handling = Assert.Single(occupancy.View(Status(AgentActivity.Idle), [], At(300)).Handling);
        Assert.Equal(new ChannelHandlingView("voice", 1, TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(20)), handling);
    }
}
