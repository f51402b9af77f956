using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// A queue's statistics (contract §5), as supervisors read them. <c>Sequence</c> grows with every view a queue activation
/// produces: published views can reach a watcher out of order, and the older one must not win.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QueueStatsView(
    string QueueId,
    bool Open,
    int Waiting,
    int Offered,
    int Connected,
    TimeSpan LongestWait,
    TimeSpan AverageWait,
    double ServiceLevelPercent,
    TimeSpan ServiceLevelWindow,
    long Abandoned,
    int AgentsEligible,
    int AgentsAvailable,
    TimeSpan? EstimatedWait,
    long Answered,
    DateTimeOffset UpdatedAt,
    long Sequence = 0);

/// <summary>What an interaction tells the queue it came from about its progress, for the queue's statistics.</summary>
/// <param name="InteractionId">Interaction id.</param>
/// <param name="State">Its new state; anything but offered, connected or wrap-up means it no longer counts here.</param>
/// <param name="Waited">On the first connection or on abandon: how long it waited in this queue.</param>
/// <param name="HandleTime">On completion: connected until the end of wrap-up.</param>
/// <param name="At">When.</param>
[GenerateSerializer, Immutable]
public sealed record InteractionProgress(string InteractionId, InteractionState State, TimeSpan? Waited, TimeSpan? HandleTime, DateTimeOffset At);

/// <summary>A change a supervisor considers, whose effect on one queue is predicted.</summary>
public enum QueueChangeKind
{
    /// <summary>Nothing changes in this queue (the figures are the same before and after).</summary>
    None = 0,

    /// <summary>Waiting interactions move in (positive) or out (negative).</summary>
    WaitingDelta = 1,

    /// <summary>An agent becomes a member, or gets skills that qualify it.</summary>
    AgentJoins = 2,

    /// <summary>An agent stops being a member, or loses a skill it needed.</summary>
    AgentLeaves = 3,

    /// <summary>The queue closes: new arrivals are refused (or overflow).</summary>
    Close = 4,

    /// <summary>The queue opens again.</summary>
    Open = 5,
}

/// <summary>One queue's share of a rebalancing action.</summary>
[GenerateSerializer, Immutable]
public sealed record QueueChange(QueueChangeKind Kind, int WaitingDelta = 0);

/// <summary>A queue's predicted figures before and after a change (queueing model: Erlang C).</summary>
[GenerateSerializer, Immutable]
public sealed record QueueImpactView(
    string QueueId,
    int WaitingBefore,
    int WaitingAfter,
    TimeSpan EstimatedWaitBefore,
    TimeSpan EstimatedWaitAfter,
    double ServiceLevelBefore,
    double ServiceLevelAfter,
    int AgentsBefore,
    int AgentsAfter);
