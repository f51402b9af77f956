using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class ReconcileScheduleTests
{
    private readonly ReconcileSchedule _schedule = new(TimeSpan.FromSeconds(30));

    [Fact]
    public void An_agent_holding_nothing_has_no_check_scheduled()
    {
        _schedule.Keep(holdsWork: false, T0);

        Assert.Null(_schedule.Next);
        Assert.False(_schedule.TakeDue(At(3600)));
    }

    [Fact]
    public void A_check_is_due_one_period_after_work_is_first_held_and_later_changes_do_not_push_it_back()
    {
        _schedule.Keep(holdsWork: true, T0);
        _schedule.Keep(holdsWork: true, At(20));

        Assert.Equal(At(30), _schedule.Next);
        Assert.False(_schedule.TakeDue(At(29)));
        Assert.True(_schedule.TakeDue(At(30)));
    }

    [Fact]
    public void A_due_check_is_taken_once_and_the_next_is_a_period_after_it()
    {
        _schedule.Keep(holdsWork: true, T0);
        Assert.True(_schedule.TakeDue(At(31)));

        Assert.False(_schedule.TakeDue(At(32)));
        _schedule.Keep(holdsWork: true, At(32));

        Assert.Equal(At(62), _schedule.Next);
    }

    [Fact]
    public void Letting_go_of_all_work_drops_the_scheduled_check()
    {
        _schedule.Keep(holdsWork: true, T0);

        _schedule.Keep(holdsWork: false, At(10));

        Assert.Null(_schedule.Next);
        Assert.False(_schedule.TakeDue(At(60)));
    }
}
