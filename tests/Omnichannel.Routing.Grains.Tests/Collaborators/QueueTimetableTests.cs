using Omnichannel.Routing.Grains.Queues;
using static Omnichannel.Routing.Grains.Tests.Collaborators.QueueTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class QueueTimetableTests
{
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(2);
    private readonly QueueTimetable _timetable = new();

    [Fact]
    public void Work_is_taken_in_due_order_and_only_once_due()
    {
        _timetable.At(T0.AddSeconds(30), new ScheduledWork(ScheduledKind.Overflow, "i1"));
        _timetable.ProposalTimeout("i2", 7, T0.AddSeconds(5));

        Assert.False(_timetable.TryTakeDue(T0.AddSeconds(4), out _));
        Assert.True(_timetable.TryTakeDue(T0.AddSeconds(40), out var first));
        Assert.True(_timetable.TryTakeDue(T0.AddSeconds(40), out var second));
        Assert.False(_timetable.TryTakeDue(T0.AddSeconds(40), out _));

        Assert.Equal(new ScheduledWork(ScheduledKind.ProposalTimeout, "i2", 7), first);
        Assert.Equal(new ScheduledWork(ScheduledKind.Overflow, "i1"), second);
        Assert.Equal(0, _timetable.Count);
    }

    [Fact]
    public void With_nothing_scheduled_and_nothing_to_sweep_the_timer_sleeps()
    {
        Assert.Null(_timetable.WakeAt(T0, sweep: false, Sweep));
    }

    [Fact]
    public void A_queue_with_waiting_interactions_wakes_for_the_sweep_unless_work_is_due_sooner()
    {
        Assert.Equal(T0 + Sweep, _timetable.WakeAt(T0, sweep: true, Sweep));

        _timetable.At(T0.AddSeconds(1), new ScheduledWork(ScheduledKind.Relaxation, "i1"));

        Assert.Equal(T0.AddSeconds(1), _timetable.WakeAt(T0, sweep: true, Sweep));
    }

    [Fact]
    public void Without_a_sweep_the_timer_wakes_for_the_earliest_work()
    {
        _timetable.At(T0.AddSeconds(90), new ScheduledWork(ScheduledKind.Relaxation, "i1"));
        _timetable.At(T0.AddSeconds(60), new ScheduledWork(ScheduledKind.PreferredWaitEnd, "i2"));

        Assert.Equal(T0.AddSeconds(60), _timetable.WakeAt(T0, sweep: false, Sweep));
    }
}
