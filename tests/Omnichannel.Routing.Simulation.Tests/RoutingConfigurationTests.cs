using Omnichannel.Routing.Simulation.Engine;
using Omnichannel.Routing.Simulation.Results;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Tests;

/// <summary>Known scenarios where a routing setting must move a figure in a known direction.</summary>
public class RoutingConfigurationTests
{
    /// <summary>
    /// Five agents, high-priority calls keeping them 85% busy and a trickle of priority-0 calls: without aging the
    /// low-priority calls wait behind every newer high-priority one; with one point a second they overtake any call
    /// that arrived more than 100 s after them.
    /// </summary>
    private static Scenario PriorityMix(double agingRate)
    {
        var scenario = Scenarios.SingleQueue(agents: 5, callsPerHour: 0, meanHandleSeconds: 120, hours: 24);
        scenario.Queues[0].AgingRate = agingRate;
        scenario.Arrivals =
        [
            new ArrivalSpec { Queue = "q", Channel = "voice", Priority = 100, PerHour = 128 },
            new ArrivalSpec { Queue = "q", Channel = "voice", Priority = 0, PerHour = 16 },
        ];
        return scenario;
    }

    private static double LongestWait(SimulationRun run, int priority) =>
        run.Totals.LongestWaitByPriority.Single(p => p.Priority == priority).LongestWait.TotalSeconds;

    [Fact]
    public void Aging_keeps_the_longest_low_priority_wait_bounded_and_its_absence_does_not()
    {
        var aged = DaySimulation.Run(PriorityMix(agingRate: 1), seed: 5);
        var unaged = DaySimulation.Run(PriorityMix(agingRate: 0), seed: 5);

        // With aging a low-priority call overtakes every call that arrived more than 100 s (the gap ÷ the rate) after
        // it, so it waits at most that much longer than the longest high-priority wait, give or take one departure.
        var bound = LongestWait(aged, 100) + 100 + 60;
        var message = $"longest waits: aged low {LongestWait(aged, 0):0} s, aged high {LongestWait(aged, 100):0} s, unaged low {LongestWait(unaged, 0):0} s";
        Assert.True(LongestWait(aged, 0) <= bound, message);
        Assert.True(LongestWait(unaged, 0) > 3 * LongestWait(aged, 0), message);
    }

    /// <summary>
    /// Chat agents taking up to three at once, lightly loaded: longest-idle keeps handing work to whoever was offered
    /// least recently, busy or not, while least-occupied gives it to the emptiest agent, so busy time spreads over
    /// more agents and their occupancies lie closer together.
    /// </summary>
    private static Scenario ChatFloor(string policy)
    {
        var scenario = Scenarios.SingleQueue(agents: 0, callsPerHour: 0, meanHandleSeconds: 600, hours: 8);
        scenario.Channels[0].Name = "chat";
        scenario.Queues[0].Policy = policy;
        scenario.Agents =
        [
            new AgentGroupSpec { Name = "chat", Count = 12, Queues = ["q"], TotalUnits = 3, Capacity = [new ChannelLimitSpec { Channel = "chat", Max = 3, Cost = 1 }] },
        ];
        scenario.Arrivals = [new ArrivalSpec { Queue = "q", Channel = "chat", PerHour = 60 }];
        return scenario;
    }

    [Fact]
    public void Least_occupied_spreads_occupancy_more_evenly_than_longest_idle()
    {
        var comparison = SimulationStudy.Run([("longest-idle", ChatFloor("longest-idle")), ("least-occupied", ChatFloor("least-occupied"))], firstSeed: 1, seeds: 3);

        var longestIdle = comparison.Configurations[0].Of(ComparedFigure.OccupancySpreadPercent).Mean;
        var leastOccupied = comparison.Configurations[1].Of(ComparedFigure.OccupancySpreadPercent).Mean;
        Assert.True(leastOccupied < longestIdle, $"spread: least-occupied {leastOccupied:0.0}, longest-idle {longestIdle:0.0}");
    }
}
