using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Simulation.Engine;
using static Omnichannel.Routing.Grains.Tests.Collaborators.QueueTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

/// <summary>
/// The simulator and the live engine decide alike: the queue grain's dispatcher and the simulator's routing floor, put
/// in the same state (members, their skills, loads and idle times, the queue's policy), offer an arriving
/// interaction to the same agent.
/// </summary>
public sealed class SharedDecisionTests
{
    private static readonly (string Id, ImmutableDictionary<string, int> Skills, ImmutableDictionary<string, int> Load, int IdleMinutes)[] Members =
    [
        ("ann", Skills(("billing", 4)), Load(("chat", 2)), 30),
        ("bob", Skills(("billing", 9)), Load(("chat", 1)), 20),
        ("cid", Skills(("billing", 6)), Load(), 5),
        ("dee", Skills(("billing", 7)), Load(("chat", 1)), 10),
        ("eve", Skills(("billing", 2)), Load(), 40),
    ];

    private static ImmutableDictionary<string, int> Load(params (string Channel, int Count)[] load) =>
        load.ToImmutableDictionary(l => l.Channel, l => l.Count, StringComparer.Ordinal);

    public static TheoryData<SelectionPolicy, string, int> Decisions => new()
    {
        { SelectionPolicy.LongestIdle, "chat", 0 },
        { SelectionPolicy.LongestIdle, "chat", 5 },
        { SelectionPolicy.LeastOccupied, "chat", 0 },
        { SelectionPolicy.LeastOccupied, "chat", 5 },
        { SelectionPolicy.BestSkill, "chat", 3 },
        { SelectionPolicy.LongestIdle, "voice", 0 },
        { SelectionPolicy.BestSkill, "voice", 6 },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void The_simulator_offers_an_arrival_to_the_agent_the_queue_dispatcher_proposes_it_to(SelectionPolicy policy, string channel, int minimumLevel)
    {
        var required = minimumLevel > 0 ? ImmutableArray.Create(new RequirementConfig("billing", minimumLevel)) : [];
        var rig = new QueueRig(Config(policy: policy));
        // As the queue grain does when it takes its configuration.
        rig.Roster.UsePolicy(policy);
        foreach (var m in Members)
        {
            rig.Join(Agent(m.Id, skills: m.Skills, load: m.Load, idleSince: T0.AddMinutes(-m.IdleMinutes)));
        }

        rig.Admit(Entry("i1", channel: channel, required: required));
        var engine = rig.ProposedTo("i1");

        var demand = new SkillDemand(required.Select(r => new SkillRequirement(r.Skill, r.MinimumLevel)));
        var simulator = DecisionProbe.AgentFor(
            policy,
            Members.Select(m => new ProbeAgent(m.Id, new SkillSet(m.Skills), Capacity.ToProfile(), m.Load, T0.AddMinutes(-m.IdleMinutes))),
            channel,
            demand,
            T0);

        Assert.NotNull(engine);
        Assert.Equal(engine, simulator);
    }

    [Fact]
    public void The_decisions_tried_differ_so_agreement_is_not_a_given()
    {
        var chosen = Decisions.Select(d =>
        {
            var (policy, channel, level) = ((SelectionPolicy)d[0], (string)d[1], (int)d[2]);
            var demand = new SkillDemand(level > 0 ? [new SkillRequirement("billing", level)] : []);
            return DecisionProbe.AgentFor(policy, Members.Select(m => new ProbeAgent(m.Id, new SkillSet(m.Skills), Capacity.ToProfile(), m.Load, T0.AddMinutes(-m.IdleMinutes))), channel, demand, T0);
        }).Distinct().Count();

        Assert.True(chosen >= 3, $"only {chosen} distinct agents chosen");
    }
}
