using Microsoft.Extensions.Logging;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>The agent grain's log messages, beside its logic.</summary>
public sealed partial class AgentGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} defined by {Actor} with {QueueCount} queue(s)")]
    private partial void LogDefined(string agentId, Actor actor, int queueCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent {AgentId} declined a proposal of {InteractionId}: {Eligibility}")]
    private partial void LogDeclined(string agentId, string interactionId, Eligibility eligibility);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} lost its offer stream beyond the grace period; its offers return to their queues")]
    private partial void LogStreamLost(string agentId);
}
