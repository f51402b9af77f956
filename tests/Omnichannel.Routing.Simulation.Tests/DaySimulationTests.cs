using Omnichannel.Routing.Core;
using Omnichannel.Routing.Simulation.Engine;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Tests;

public class DaySimulationTests
{
    [Fact]
    public void The_same_seed_gives_the_same_day_event_for_event()
    {
        var scenario = ScenarioLoader.Load(Scenarios.Example);

        var first = DaySimulation.Run(scenario, seed: 7);
        var second = DaySimulation.Run(scenario, seed: 7);

        Assert.True(first.Trace.Count > 10_000);
        Assert.Equal(first.Trace, second.Trace);
        Assert.Equal(first.Report.Queues, second.Report.Queues);
    }

    [Fact]
    public void Another_seed_gives_another_day()
    {
        var scenario = ScenarioLoader.Load(Scenarios.Example);

        var first = DaySimulation.Run(scenario, seed: 1);
        var second = DaySimulation.Run(scenario, seed: 2);

        Assert.NotEqual(first.Overall.Offered, second.Overall.Offered);
    }

    [Fact]
    public void Every_stay_in_a_queue_of_the_example_day_ends_answered_abandoned_overflowed_or_still_waiting()
    {
        var run = DaySimulation.Run(ScenarioLoader.Load(Scenarios.Example), seed: 3);

        var routed = run.Trace.Count(e => e.Type == RoutingEventType.Routed);
        Assert.Equal(run.Arrivals, routed);
        var o = run.Overall;
        // Each stay in a queue ends one way; the simulated transfers happen after an answer, so none ends as one.
        Assert.Equal(o.Offered, o.Answered + o.Abandoned + o.Overflowed + o.StillWaiting);
        Assert.True(o.Overflowed > 0, o.ToString());
        Assert.True(o.Transferred > 0, o.ToString());
        Assert.True(o.Answered > 0.8 * routed, o.ToString());
        Assert.InRange(run.Occupancy.Mean, 30, 100);
    }

    [Fact]
    public void An_agent_signs_in_at_its_shift_start_and_out_after_its_shift_end()
    {
        var run = DaySimulation.Run(ScenarioLoader.Load(Scenarios.Example), seed: 3);

        var late = run.Trace.Where(e => e.AgentId == "late-001" && e.InteractionId is null).ToList();
        Assert.Equal(RoutingEventType.SignedIn, late[0].Type);
        Assert.Equal(run.Scenario.StartTime.AddHours(2), late[0].Time);
        Assert.Equal(RoutingEventType.SignedOut, late[^1].Type);
        Assert.True(late[^1].Time >= run.Scenario.EndTime);
    }
}
