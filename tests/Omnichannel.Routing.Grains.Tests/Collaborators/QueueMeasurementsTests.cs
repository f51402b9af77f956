using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Queues;
using static Omnichannel.Routing.Grains.Tests.Collaborators.QueueTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class QueueMeasurementsTests
{
    private static readonly TimeSpan Assumed = TimeSpan.FromMinutes(5);
    private readonly QueueMeasurements _measurements = new(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(20), Assumed);
    private readonly WaitingList _waiting = new(EffectivePriority.DefaultAgingRate);
    private readonly AgentPool _pool = new(SelectionPolicy.LongestIdle);

    [Fact]
    public void Handle_time_is_the_assumed_one_until_a_completion_is_measured()
    {
        Assert.Equal(Assumed, _measurements.AverageHandleTime);

        _measurements.Track(new InteractionProgress("i1", InteractionState.Completed, null, TimeSpan.FromSeconds(90), T0));

        Assert.Equal(TimeSpan.FromSeconds(90), _measurements.AverageHandleTime);
    }

    [Fact]
    public void An_answer_is_counted_and_reported_with_its_wait()
    {
        var waited = _measurements.Track(new InteractionProgress("i1", InteractionState.Connected, TimeSpan.FromSeconds(12), null, T0));

        Assert.Equal(TimeSpan.FromSeconds(12), waited);
        var view = _measurements.View(QueueId, Config(), _waiting, _pool, T0);
        Assert.Equal(1, view.Answered);
        Assert.Equal(1, view.Connected);
    }

    [Fact]
    public void Interactions_in_hand_are_counted_until_they_end()
    {
        _measurements.Track(new InteractionProgress("i1", InteractionState.Offered, null, null, T0));
        _measurements.Track(new InteractionProgress("i2", InteractionState.Offered, null, null, T0));
        _measurements.Track(new InteractionProgress("i2", InteractionState.Connected, null, null, T0));
        Assert.Equal((1, 1), Counts());

        var waited = _measurements.Track(new InteractionProgress("i2", InteractionState.Completed, null, TimeSpan.FromMinutes(2), T0));

        Assert.Null(waited);
        Assert.Equal((1, 0), Counts());
    }

    [Fact]
    public void Abandons_count_in_the_view()
    {
        _measurements.Track(new InteractionProgress("i1", InteractionState.Abandoned, TimeSpan.FromSeconds(40), null, T0));

        Assert.Equal(1, _measurements.View(QueueId, Config(), _waiting, _pool, T0).Abandoned);
    }

    [Fact]
    public void Each_view_is_numbered_after_the_one_before()
    {
        var first = _measurements.View(QueueId, Config(), _waiting, _pool, T0);
        var second = _measurements.View(QueueId, Config(), _waiting, _pool, T0);

        Assert.True(second.Sequence > first.Sequence);
    }

    [Fact]
    public void A_closed_queue_is_shown_closed()
    {
        Assert.True(_measurements.View(QueueId, Config(), _waiting, _pool, T0).Open);
        Assert.False(_measurements.View(QueueId, Config(closed: true), _waiting, _pool, T0).Open);
        Assert.False(_measurements.View(QueueId, null, _waiting, _pool, T0).Open);
    }

    [Fact]
    public void Without_departures_the_first_in_line_waits_for_nothing_when_an_agent_is_ready()
    {
        Assert.Null(_measurements.WaitAt(1, _pool, T0));

        _pool.Upsert(new MemberRoster(SelectionPolicy.LongestIdle).Upsert(Agent("alice"), out _)!);

        Assert.Equal(TimeSpan.Zero, _measurements.WaitAt(1, _pool, T0));
    }

    [Fact]
    public void Recent_departures_set_the_estimated_wait()
    {
        for (var i = 0; i < 30; i++)
        {
            _measurements.Departed(T0.AddSeconds(i * 10));
        }

        // 30 departures in a 5-minute window: one every 10 s.
        Assert.Equal(TimeSpan.FromSeconds(30), _measurements.WaitAt(3, _pool, T0.AddSeconds(295)));
    }

    [Fact]
    public void An_extra_agent_shortens_the_forecast_wait_of_a_busy_queue()
    {
        for (var i = 0; i < 10; i++)
        {
            _measurements.Arrived(T0.AddSeconds(i));
        }

        var roster = new MemberRoster(SelectionPolicy.LongestIdle);
        _pool.Upsert(roster.Upsert(Agent("alice"), out _)!);

        var impact = _measurements.Impact(QueueId, new QueueChange(QueueChangeKind.AgentJoins), Config(), 5, _pool, T0.AddSeconds(10));

        Assert.Equal(1, impact.AgentsBefore);
        Assert.Equal(2, impact.AgentsAfter);
        Assert.True(impact.EstimatedWaitAfter <= impact.EstimatedWaitBefore);
        Assert.Equal(5, impact.WaitingAfter);
    }

    private (int Offered, int Connected) Counts()
    {
        var view = _measurements.View(QueueId, Config(), _waiting, _pool, T0);
        return (view.Offered, view.Connected);
    }
}
