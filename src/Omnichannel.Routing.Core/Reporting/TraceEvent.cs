namespace Omnichannel.Routing.Core.Reporting;

/// <summary>
/// The part of one event-log entry that reporting reads: what happened, when, to which interaction or agent, in
/// which queue and channel. The engine's log entries and the simulator's decisions both become these, so a real day
/// and a simulated one go through the same <see cref="TraceLedger"/> and come out in the same report.
/// </summary>
/// <param name="Time">When it happened.</param>
/// <param name="Type">What happened.</param>
/// <param name="InteractionId">The interaction, for interaction events.</param>
/// <param name="AgentId">The agent the event names (the offered, connected or signing-in agent).</param>
/// <param name="QueueId">The queue the event names (for an overflow, the target).</param>
/// <param name="Channel">The interaction's channel, when known.</param>
/// <param name="From">The interaction's state before the change.</param>
/// <param name="To">The interaction's state after the change.</param>
/// <param name="Priority">The interaction's base priority, when known (0 otherwise).</param>
public sealed record TraceEvent(
    DateTimeOffset Time,
    RoutingEventType Type,
    string? InteractionId,
    string? AgentId,
    string? QueueId,
    string? Channel,
    InteractionState? From,
    InteractionState? To,
    int Priority = 0)
{
    /// <summary>A change of an interaction's lifecycle.</summary>
    public static TraceEvent ForInteraction(
        DateTimeOffset time, RoutingEventType type, string interactionId, string? queueId, string? agentId, string? channel,
        InteractionState? from, InteractionState? to, int priority = 0) =>
        new(time, type, interactionId, agentId, queueId, channel, from, to, priority);

    /// <summary>A sign-in or sign-out of an agent.</summary>
    public static TraceEvent ForAgent(DateTimeOffset time, RoutingEventType type, string agentId) =>
        new(time, type, null, agentId, null, null, null, null);
}
