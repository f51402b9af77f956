namespace Omnichannel.Routing.Grains;

/// <summary>Engine-wide settings (configuration section "Routing").</summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>
    /// The key of the clock the routing grains read (a keyed <see cref="TimeProvider"/>): tests script the engine's
    /// time without touching Orleans' own timers, which use the default one.
    /// </summary>
    public const string ClockKey = "routing";

    /// <summary>Grain storage provider holding every grain's state.</summary>
    public const string StorageName = "routing";

    /// <summary>
    /// How long an agent may be without a live offer stream before its offered interactions return to their
    /// queues and it turns not-responding (contract §3.8).
    /// </summary>
    public TimeSpan OfferStreamGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An attached offer stream not renewed within this time counts as lost.</summary>
    public TimeSpan OfferStreamLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A proposal to an agent that neither claims nor declines within this time is withdrawn.</summary>
    public TimeSpan ProposalTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sliding window of a queue's service rate, behind estimated waits.</summary>
    public TimeSpan ServiceRateWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often an unfinished interaction checks that the grain it depends on agrees (its queue still has it, its
    /// agent still holds it), and how often an agent checks the interactions it holds. A safety net for what a silo
    /// failure or a storage outage between two writes can leave half-done.
    /// </summary>
    public TimeSpan ReconcilePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sliding window of a queue's statistics (service level, abandoned, average wait, arrival rate).</summary>
    public TimeSpan StatisticsWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Handle time assumed for estimated waits until a queue has a measured service rate.</summary>
    public TimeSpan AssumedHandleTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Events kept in an interaction's own history (the event log keeps all of them).</summary>
    public int InteractionHistoryLimit { get; set; } = 500;

    /// <summary>A new interaction joins the journey of the customer's interaction that ended or started within this window.</summary>
    public TimeSpan JourneyLinkWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Journey entries kept in a customer's grain; older ones live on in the event log.</summary>
    public int JourneyLimit { get; set; } = 200;

    /// <summary>Journey entries sent with an offer.</summary>
    public int OfferJourneyEntries { get; set; } = 5;

    /// <summary>
    /// Ended interactions the embedded default keeps in memory, the most recent; older ones are forgotten (NOT_FOUND),
    /// as the embedded event log keeps only recent events. Durable mode keeps every one in PostgreSQL.
    /// </summary>
    public int EmbeddedFinishedInteractions { get; set; } = 20_000;

    /// <summary>
    /// Customers at rest (every interaction of their journey ended) the embedded default keeps in memory, those that came
    /// to rest most recently; an older one is forgotten with its profile and journey, and answers as a customer never
    /// seen. A customer with an interaction open, or with none yet, is never forgotten. An erasure finds a customer's
    /// interactions through its journey, so keep this no smaller than <see cref="EmbeddedFinishedInteractions"/>: a
    /// customer then outlasts its ended interactions. Durable mode keeps every one.
    /// </summary>
    public int EmbeddedRestingCustomers { get; set; } = 20_000;

    /// <summary>How many queues overflow may chain through for one interaction.</summary>
    public int MaxOverflowHops { get; set; } = 4;
}
