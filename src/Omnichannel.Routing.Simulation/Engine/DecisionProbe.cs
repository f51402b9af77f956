using System.Globalization;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Engine;

/// <summary>One agent of a <see cref="DecisionProbe"/>: its skills, capacity, load per channel and idle-since.</summary>
internal sealed record ProbeAgent(string AgentId, SkillSet Skills, CapacityProfile Profile, IReadOnlyDictionary<string, int> Load, DateTimeOffset IdleSince);

/// <summary>
/// Asks the simulator's <see cref="RoutingFloor"/> one question: with these agents in one queue, whom is an arriving
/// interaction offered to? Lets a test put the simulator and the engine's queue dispatcher in the same state and
/// check they choose alike.
/// </summary>
internal static class DecisionProbe
{
    public static string? AgentFor(SelectionPolicy policy, IEnumerable<ProbeAgent> members, string channel, SkillDemand demand, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(demand);
        const string queueId = "probe";
        var clock = new VirtualClock(now);
        var calendar = new EventCalendar(clock);
        var queue = new SimQueue(new QueueSpec { Id = queueId, Policy = SelectionPolicyNames.Name(policy) });
        var agents = new Dictionary<string, SimAgent>(StringComparer.Ordinal);
        var held = 0;
        foreach (var member in members)
        {
            var agent = new SimAgent(member.AgentId, member.Skills, member.Profile, [queueId], now, now.AddHours(1)) { SignedIn = true };
            foreach (var (loaded, count) in member.Load)
            {
                for (var i = 0; i < count; i++)
                {
                    // Work in hand, connected: it holds capacity as the engine's workload does.
                    var id = string.Create(CultureInfo.InvariantCulture, $"held-{held++}");
                    agent.Workload.Reserve(id, loaded, queueId, now, TimeSpan.FromMinutes(1));
                    agent.Workload.Accept(id, now);
                }
            }

            agent.IdleSince = member.IdleSince;
            agents[agent.Id] = agent;
        }

        var floor = new RoutingFloor(clock, calendar, new Dictionary<string, SimQueue>(StringComparer.Ordinal) { [queueId] = queue }, agents);
        foreach (var agent in agents.Values)
        {
            floor.Publish(agent);
        }

        var stream = new ArrivalSpec { Queue = queueId, Channel = channel, RequiredSkills = demand.Required.ToDictionary(r => r.Skill, r => r.MinimumLevel, StringComparer.Ordinal) };
        var interaction = new SimInteraction("probed", stream, new ChannelSpec { Name = channel }, now, new Random(0));
        floor.Enqueue(interaction, queue, now);
        return floor.Trace.FirstOrDefault(e => e.Type == RoutingEventType.Offered)?.AgentId;
    }
}
