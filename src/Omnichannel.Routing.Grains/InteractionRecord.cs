using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>The persisted state of an <see cref="InteractionGrain"/>.</summary>
[GenerateSerializer]
public sealed class InteractionRecord
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
    /// The last event of the history known to be in the event log: the outbox is everything after it. Persisted
    /// with the next write, so after a crash the events committed but not yet logged are appended again.
    /// </summary>
    [Id(8)]
    public long LoggedThrough { get; set; }

    /// <summary>The pending transfer to <see cref="PendingTransferAgentId"/> is warm (a consult).</summary>
    [Id(7)]
    public bool PendingTransferWarm { get; set; }
}
