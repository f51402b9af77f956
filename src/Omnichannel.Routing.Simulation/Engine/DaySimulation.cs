using System.Diagnostics;
using System.Globalization;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Core.Reporting;
using Omnichannel.Routing.Simulation.Results;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Engine;

/// <summary>
/// Runs one scenario's day in virtual time with one seed: signs agents in and out on their shifts, lets the planned
/// customers arrive, abandon and overflow, and leaves every routing decision to the <see cref="RoutingFloor"/>. The
/// same scenario and seed always give the same trace.
/// </summary>
public static class DaySimulation
{
    /// <summary>How long past the day's end work in hand may still finish; customers still waiting then are left waiting.</summary>
    public static readonly TimeSpan Overtime = TimeSpan.FromHours(4);

    public static SimulationRun Run(Scenario scenario, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ScenarioLoader.Validate(scenario);
        var runSeed = seed ?? scenario.Seed;
        var wall = Stopwatch.StartNew();
        var start = scenario.StartTime;
        var clock = new VirtualClock(start);
        var calendar = new EventCalendar(clock);
        var queues = scenario.Queues.ToDictionary(q => q.Id, q => new SimQueue(q), StringComparer.Ordinal);
        var agents = Agents(scenario).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var floor = new RoutingFloor(clock, calendar, queues, agents);
        var channels = scenario.Channels.ToDictionary(c => c.Name, StringComparer.Ordinal);

        foreach (var agent in agents.Values.OrderBy(a => a.ShiftStart).ThenBy(a => a.Id, StringComparer.Ordinal))
        {
            calendar.At(agent.ShiftStart, () => SignIn(floor, agent, clock));
            calendar.At(agent.ShiftEnd, () => SignOutAfterWork(floor, agent, clock));
        }

        var arrivals = ArrivalPlan.Draw(scenario, runSeed);
        foreach (var planned in arrivals)
        {
            calendar.At(planned.Time, () => Arrive(floor, queues, channels, scenario, planned, runSeed, clock, calendar));
        }

        calendar.Run(scenario.EndTime + Overtime);
        wall.Stop();
        return SimulationRun.From(scenario, runSeed, floor.Trace, arrivals.Count, wall.Elapsed);
    }

    private static IEnumerable<SimAgent> Agents(Scenario scenario)
    {
        var day = scenario.StartTime;
        foreach (var group in scenario.Agents)
        {
            var skills = new SkillSet(group.Skills);
            var profile = new CapacityProfile(group.TotalUnits, group.Capacity.Select(c => new ChannelLimit(c.Channel, c.Max, c.Cost, c.Exclusive)));
            var shiftStart = group.ShiftStart is { } s ? ShiftTime(day, s) : day;
            var shiftEnd = group.ShiftEnd is { } e ? ShiftTime(day, e) : scenario.EndTime;
            for (var i = 1; i <= group.Count; i++)
            {
                yield return new SimAgent(string.Create(CultureInfo.InvariantCulture, $"{group.Name}-{i:000}"), skills, profile, group.Queues, shiftStart, shiftEnd);
            }
        }
    }

    /// <summary>A time of the scenario's day ("13:30"), on the date the day starts.</summary>
    private static DateTimeOffset ShiftTime(DateTimeOffset dayStart, string timeOfDay) =>
        new DateTimeOffset(dayStart.UtcDateTime.Date, TimeSpan.Zero) + TimeSpan.Parse(timeOfDay, CultureInfo.InvariantCulture);

    private static void SignIn(RoutingFloor floor, SimAgent agent, VirtualClock clock)
    {
        agent.SignedIn = true;
        agent.IdleSince = clock.GetUtcNow();
        floor.Record(TraceEvent.ForAgent(clock.GetUtcNow(), RoutingEventType.SignedIn, agent.Id));
        floor.Publish(agent);
        floor.SeekWork(agent);
    }

    private static void SignOutAfterWork(RoutingFloor floor, SimAgent agent, VirtualClock clock)
    {
        agent.Leaving = true;
        floor.Publish(agent);
        if (agent.SignedIn && agent.Workload.Load.Total == 0)
        {
            agent.SignedIn = false;
            floor.Record(TraceEvent.ForAgent(clock.GetUtcNow(), RoutingEventType.SignedOut, agent.Id));
        }
    }

    private static void Arrive(
        RoutingFloor floor, Dictionary<string, SimQueue> queues, Dictionary<string, ChannelSpec> channels, Scenario scenario,
        PlannedArrival planned, int seed, VirtualClock clock, EventCalendar calendar)
    {
        var stream = scenario.Arrivals[planned.Stream];
        var channel = channels[stream.Channel];
        var id = string.Create(CultureInfo.InvariantCulture, $"{stream.Queue}-{stream.Channel}-{planned.Stream}-{planned.Number:00000}");
        var interaction = new SimInteraction(id, stream, channel, clock.GetUtcNow(), new Random(ArrivalPlan.StreamSeed(seed, planned.Stream, planned.Number)));
        if (channel.Patience is { } patience)
        {
            interaction.GivesUpAt = clock.GetUtcNow() + TimeSpan.FromSeconds(patience.Sample(interaction.Draws));
            calendar.At(interaction.GivesUpAt.Value, () => floor.GiveUp(interaction));
        }

        var requested = queues[stream.Queue];
        floor.Record(TraceEvent.ForInteraction(clock.GetUtcNow(), RoutingEventType.Routed, id, requested.Id, null, channel.Name, null, InteractionState.Queued, stream.Priority));
        var queue = requested;
        if (requested.Overflow is { WhenWaitingAtLeast: { } limit } overflow && requested.List.Count >= limit)
        {
            // Full: admitted straight to the overflow queue, as the engine's admission does.
            queue = queues[overflow.To];
            floor.Record(TraceEvent.ForInteraction(clock.GetUtcNow(), RoutingEventType.Overflowed, id, queue.Id, null, channel.Name, InteractionState.Queued, InteractionState.Queued, stream.Priority));
        }

        floor.Enqueue(interaction, queue, clock.GetUtcNow());
    }
}
