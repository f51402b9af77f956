namespace Omnichannel.Routing.Core;

/// <summary>
/// What happened, for every entry of the engine's event log and of an interaction's history: one closed set, so
/// code compares members, never text. The text each member is stored and shown as is fixed by
/// <see cref="RoutingEventTypeNames"/>.
/// </summary>
public enum RoutingEventType
{
    // An interaction's lifecycle.
    Routed = 1,
    Overflowed = 2,
    Offered = 3,
    Accepted = 4,
    Rejected = 5,
    OfferTimedOut = 6,
    ReturnedOnSignOut = 7,
    ReturnedOnStreamLost = 8,
    Requeued = 9,
    Transferred = 10,

    /// <summary>The agent finished the conversation: connected to wrap-up.</summary>
    Completed = 11,
    WrapUpEnded = 12,
    Cancelled = 13,
    PriorityChanged = 14,
    ConsultQueued = 15,
    ConsultOffered = 16,
    ConsultDeclined = 17,
    ConsultCancelled = 18,

    // Notes a queue adds to a waiting interaction's history.
    Relaxed = 19,
    PreferredAgentFallback = 20,
    AgentHeld = 21,

    // An agent's definition and presence.
    Defined = 22,
    QueuesChanged = 23,
    SkillsChanged = 24,
    SignedIn = 25,
    SignedOut = 26,
    PresenceChanged = 27,
    NotResponding = 28,

    // A queue's configuration.
    Configured = 29,
    Opened = 30,
    Closed = 31,

    // Engine configuration.
    ChannelUpserted = 32,

    // A customer's journey, past the grain's bound.
    JourneyEntry = 33,

    /// <summary>An administrator erased a customer's personal data; recorded under the pseudonymous id.</summary>
    CustomerErased = 34,
}

/// <summary>
/// The text of each <see cref="RoutingEventType"/>, as the event log stores it and the API shows it. Written out
/// member by member (not derived from the member names) so renaming a member never changes what is stored, and
/// stored rows and queries that filter on the text keep working.
/// </summary>
public static class RoutingEventTypeNames
{
    private static readonly Dictionary<string, RoutingEventType> ByName =
        Enum.GetValues<RoutingEventType>().ToDictionary(Name, t => t, StringComparer.Ordinal);

    /// <summary>The stored text of <paramref name="type"/>.</summary>
    public static string Name(this RoutingEventType type) => type switch
    {
        RoutingEventType.Routed => "routed",
        RoutingEventType.Overflowed => "overflowed",
        RoutingEventType.Offered => "offered",
        RoutingEventType.Accepted => "accepted",
        RoutingEventType.Rejected => "rejected",
        RoutingEventType.OfferTimedOut => "offer_timed_out",
        RoutingEventType.ReturnedOnSignOut => "returned_on_sign_out",
        RoutingEventType.ReturnedOnStreamLost => "returned_on_stream_lost",
        RoutingEventType.Requeued => "requeued",
        RoutingEventType.Transferred => "transferred",
        RoutingEventType.Completed => "completed",
        RoutingEventType.WrapUpEnded => "wrap_up_ended",
        RoutingEventType.Cancelled => "cancelled",
        RoutingEventType.PriorityChanged => "priority_changed",
        RoutingEventType.ConsultQueued => "consult_queued",
        RoutingEventType.ConsultOffered => "consult_offered",
        RoutingEventType.ConsultDeclined => "consult_declined",
        RoutingEventType.ConsultCancelled => "consult_cancelled",
        RoutingEventType.Relaxed => "relaxed",
        RoutingEventType.PreferredAgentFallback => "preferred_agent_fallback",
        RoutingEventType.AgentHeld => "agent_held",
        RoutingEventType.Defined => "defined",
        RoutingEventType.QueuesChanged => "queues_changed",
        RoutingEventType.SkillsChanged => "skills_changed",
        RoutingEventType.SignedIn => "signed_in",
        RoutingEventType.SignedOut => "signed_out",
        RoutingEventType.PresenceChanged => "presence_changed",
        RoutingEventType.NotResponding => "not_responding",
        RoutingEventType.Configured => "configured",
        RoutingEventType.Opened => "opened",
        RoutingEventType.Closed => "closed",
        RoutingEventType.ChannelUpserted => "channel_upserted",
        RoutingEventType.JourneyEntry => "journey_entry",
        RoutingEventType.CustomerErased => "customer_erased",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a routing event type"),
    };

    /// <summary>The member stored as <paramref name="name"/>; false for text no version of the engine wrote.</summary>
    public static bool TryParse(string name, out RoutingEventType type) => ByName.TryGetValue(name, out type);

    /// <summary>The member stored as <paramref name="name"/>.</summary>
    /// <exception cref="FormatException">The text is not a known event type.</exception>
    public static RoutingEventType Parse(string name) =>
        TryParse(name, out var type) ? type : throw new FormatException($"'{name}' is not a routing event type");
}
