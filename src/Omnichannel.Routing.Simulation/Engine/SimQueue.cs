using Omnichannel.Routing.Core;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Engine;

/// <summary>One simulated queue: the core's <see cref="AgentPool"/>, <see cref="WaitingList"/> and <see cref="SkillRelaxation"/>, as the queue grain holds them.</summary>
internal sealed class SimQueue(QueueSpec spec)
{
    public string Id { get; } = spec.Id;

    public AgentPool Pool { get; } = new(SelectionPolicyNames.Parse(spec.Policy));

    public WaitingList List { get; } = new(spec.AgingRate);

    public SkillRelaxation Relaxation { get; } = new(spec.Relaxation.Select(r => new RelaxationStep(TimeSpan.FromSeconds(r.AfterSeconds), r.Skill, r.Level)));

    public OverflowSpec? Overflow { get; } = spec.Overflow;

    private long _sequence;

    public long NextSequence() => ++_sequence;
}
