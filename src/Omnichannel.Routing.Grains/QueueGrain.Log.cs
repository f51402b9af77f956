using Microsoft.Extensions.Logging;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

// The queue's log messages, beside its logic.
public sealed partial class QueueGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {QueueId} configured by {Actor} with policy {Policy}")]
    private partial void LogConfigured(string queueId, Actor actor, SelectionPolicy policy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {QueueId} reactivated: {Restored} waiting interaction(s) restored from the event log, {Asked} asked to rejoin")]
    private partial void LogRecovering(string queueId, int restored, int asked);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue {QueueId}: {InteractionId} claimed by agent {AgentId}")]
    private partial void LogClaimed(string queueId, string interactionId, string agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {QueueId}: {InteractionId} overflows to {TargetQueueId}")]
    private partial void LogOverflow(string queueId, string interactionId, string targetQueueId);
}
