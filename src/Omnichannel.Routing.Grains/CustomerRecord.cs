using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>The persisted state of a <see cref="CustomerGrain"/>.</summary>
[GenerateSerializer]
public sealed class CustomerRecord : IHoldsUnloggedEvents, IRestingState
{
    [Id(0)]
    public string DisplayName { get; set; } = string.Empty;

    [Id(1)]
    public ImmutableDictionary<string, string> Attributes { get; set; } = ImmutableDictionary<string, string>.Empty;

    [Id(2)]
    public string? LastAgentId { get; set; }

    /// <summary>The journey, newest first, bounded by <see cref="RoutingOptions.JourneyLimit"/>.</summary>
    [Id(3)]
    public List<JourneyEntryView> Journey { get; set; } = [];

    /// <summary>Entries dropped from <see cref="Journey"/> to keep it bounded.</summary>
    [Id(4)]
    public long Trimmed { get; set; }

    /// <summary>Sequence of each kept entry's "journey_entry" event in the log, once it ended and was logged.</summary>
    [Id(5)]
    public Dictionary<string, long> Logged { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last sequence used for this customer's events.</summary>
    [Id(6)]
    public long Sequence { get; set; }

    /// <summary>Ended entries' events stored with this state that the event log may not have yet (see <see cref="EventOutbox"/>).</summary>
    [Id(8)]
    public List<RoutingEvent> UnloggedEvents { get; set; } = [];

    IReadOnlyList<RoutingEvent> IHoldsUnloggedEvents.UnloggedEvents => UnloggedEvents;

    /// <summary>
    /// Every interaction of the journey ended: nothing here changes until the customer makes contact again. A customer
    /// with no interaction yet is a profile a client put, never at rest. Unlogged events listed in the stored copy do not
    /// keep it: only the embedded storage asks, and it logs them in the write that stores them.
    /// </summary>
    internal bool IsAtRest =>
        Journey.Count > 0 && Journey.TrueForAll(e => InteractionLifecycle.IsEnded(e.State));

    RestingKind IRestingState.Kind => RestingKind.Customer;

    bool IRestingState.IsAtRest => IsAtRest;
}
