using Omnichannel.Routing.Core;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Engine;

/// <summary>
/// One simulated customer contact. Its durations and the answers agents give its offers come from its own random
/// stream, so two configurations of the same day see the same customers (common random numbers).
/// </summary>
internal sealed class SimInteraction(string id, ArrivalSpec stream, ChannelSpec channel, DateTimeOffset arrival, Random draws)
{
    public string Id { get; } = id;

    public ArrivalSpec Stream { get; } = stream;

    public ChannelSpec Channel { get; } = channel;

    public DateTimeOffset Arrival { get; } = arrival;

    public Random Draws { get; } = draws;

    public SkillDemand BaseDemand { get; } = new(stream.RequiredSkills.Select(s => new SkillRequirement(s.Key, s.Value)));

    public InteractionState State { get; set; } = InteractionState.Queued;

    public string QueueId { get; set; } = stream.Queue;

    /// <summary>Counts the queue stays, so a timer set for an earlier stay does nothing.</summary>
    public int Stay { get; set; }

    public HashSet<string> Excluded { get; } = new(StringComparer.Ordinal);

    public string? AgentId { get; set; }

    public bool Transferred { get; set; }

    /// <summary>When the customer gives up, if still waiting then; null for a patient one.</summary>
    public DateTimeOffset? GivesUpAt { get; set; }
}
