using Microsoft.Extensions.Logging;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>The agent grain's log messages, beside its logic.</summary>
public sealed partial class AgentGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} defined by {Actor} with {QueueCount} queue(s)")]
    private partial void LogDefined(string agentId, Actor actor, int queueCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent {AgentId} offered {InteractionId} from queue {QueueId}")]
    private partial void LogOffered(string agentId, string interactionId, string queueId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent {AgentId} declined a proposal of {InteractionId}: {Eligibility}")]
    private partial void LogDeclined(string agentId, string interactionId, Eligibility eligibility);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} let the offer of {InteractionId} time out and is now not responding")]
    private partial void LogTimedOut(string agentId, string interactionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} is held free for exclusive interaction {InteractionId}")]
    private partial void LogHeld(string agentId, string interactionId);


    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} reconciled {InteractionId}: {Action}")]
    private partial void LogReconciled(string agentId, string interactionId, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} could not take waiting work now; queues will offer it again")]
    private partial void LogPullFailed(string agentId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} lost its offer stream beyond the grace period; its offers return to their queues")]
    private partial void LogStreamLost(string agentId);
}
