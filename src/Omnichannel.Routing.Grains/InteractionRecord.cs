using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>The persisted state of an <see cref="InteractionGrain"/>.</summary>
[GenerateSerializer]
public sealed class InteractionRecord : IHoldsUnloggedEvents, IRestingState
{
    [Id(0)]
    public InteractionSnapshot? Current { get; set; }

    /// <summary>Agent a transfer is being offered to; only that agent may take it out of its current state.</summary>
    [Id(1)]
    public string? PendingTransferAgentId { get; set; }

    /// <summary>Other queues it also waits in after overflow in mode "also".</summary>
    [Id(2)]
    public ImmutableArray<string> AlsoQueues { get; set; } = [];

    [Id(3)]
    public ImmutableArray<string> OverflowedFrom { get; set; } = [];

    [Id(4)]
    public TimeSpan PreferredAgentWait { get; set; }

    /// <summary>The customer's recent journey when this interaction started, for the agent's offer.</summary>
    [Id(5)]
    public ImmutableArray<JourneyEntryView> RecentJourney { get; set; } = [];

    [Id(6)]
    public long NextSequence { get; set; } = 1;

    /// <summary>
    /// Events stored with this state that the event log may not have yet (see <see cref="EventOutbox"/>): after a
    /// crash they are appended again. Kept apart from the bounded history, so trimming never loses one.
    /// </summary>
    [Id(9)]
    public List<RoutingEvent> UnloggedEvents { get; set; } = [];

    IReadOnlyList<RoutingEvent> IHoldsUnloggedEvents.UnloggedEvents => UnloggedEvents;

    RestingKind IRestingState.Kind => RestingKind.EndedInteraction;

    bool IRestingState.IsAtRest => Current is { } current && InteractionLifecycle.IsEnded(current.State);

    /// <summary>The pending transfer to <see cref="PendingTransferAgentId"/> is warm (a consult).</summary>
    [Id(7)]
    public bool PendingTransferWarm { get; set; }

    /// <summary>How many shards each sharded queue it has met has (see <see cref="Interactions.QueueShardBook"/>).</summary>
    [Id(10)]
    public ImmutableDictionary<string, int> QueueShards { get; set; } = Interactions.QueueShardBook.None;
}
