using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class AgentViewsTests
{
    private readonly AgentRecord _record = SignedInAvailable("sales");
    private readonly AgentWorkload _workload = new(Config().Capacity.ToProfile());

    [Fact]
    public void Status_lists_held_work_oldest_first_with_every_channel_load()
    {
        _workload.Reserve("late", "chat", "sales", At(20), TimeSpan.FromSeconds(15));
        _workload.Reserve("early", "chat", "sales", At(10), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));

        var status = AgentViews.Status("a1", _record, _workload);

        Assert.Equal(["early", "late"], status.Work.Select(w => w.InteractionId));
        Assert.Equal(TimeSpan.FromSeconds(30), status.Work[0].WrapUp);
        Assert.Equal([("chat", 2, 3), ("voice", 0, 1)], status.Loads.Select(l => (l.Channel, l.Active, l.MaxConcurrent)));
        Assert.Equal(60, status.UnitsUsed);
        Assert.Equal(100, status.UnitsTotal);
        Assert.Equal(AgentActivity.Busy, status.Activity);
    }

    [Fact]
    public void The_snapshot_carries_the_version_the_load_and_the_hold()
    {
        _workload.Reserve("c1", "chat", "sales", T0, TimeSpan.FromSeconds(15));
        _record.TryHold("sales", "v9");

        var snapshot = AgentViews.Snapshot("a1", _record, _workload);

        Assert.Equal(7, snapshot.Version);
        Assert.Equal(1, snapshot.Load["chat"]);
        Assert.Equal("v9", snapshot.HeldFor);
        Assert.Equal(5, snapshot.Skills["english"]);
    }

    [Fact]
    public void An_agent_with_a_free_channel_or_a_hold_has_room_and_a_full_one_has_none()
    {
        Assert.True(AgentViews.HasRoomForAnything(_record, _workload));

        _workload.Reserve("v1", "voice", "sales", T0, TimeSpan.FromSeconds(15));
        Assert.False(AgentViews.HasRoomForAnything(_record, _workload));

        _record.Hold = new HoldRecord("sales", "v2");
        Assert.True(AgentViews.HasRoomForAnything(_record, _workload));
    }
}
