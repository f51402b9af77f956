using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// One interaction, keyed by interaction id: its state, context and history, and the only place its state
/// changes. Queues and agents report to it; it reaches agents one-way only.
/// </summary>
public interface IInteractionGrain : IGrainWithStringKey
{
    /// <summary>Creates and routes; a second call with the same id answers the first outcome, replayed.</summary>
    Task<RouteOutcome> Route(RouteCommand command);

    /// <summary>The interaction, or null when it was never created.</summary>
    Task<InteractionSnapshot?> GetSnapshot();

    Task<InteractionSnapshot> Cancel(string? reason, Actor actor);

    /// <summary>
    /// To a queue: blind (the interaction waits there, any agent released), or warm (consult: it stays connected with
    /// its agent while the queue finds another, who takes it over on accepting).
    /// </summary>
    Task<InteractionSnapshot> TransferToQueue(string queueId, ImmutableDictionary<string, string> context, string? reason, Actor actor, bool warm);

    /// <summary>
    /// The queue entry an agent needs to take the interaction by transfer; validates its state. Warm: the current
    /// agent stays connected until the target accepts.
    /// </summary>
    Task<QueueEntry> PrepareTransferToAgent(string agentId, ImmutableDictionary<string, string> context, Actor actor, bool warm);

    /// <summary>An agent reserved capacity for it. Null when it can no longer be offered (cancelled meanwhile).</summary>
    Task<OfferGrant?> MarkOffered(string agentId, string queueId, DateTimeOffset offeredAt, DateTimeOffset expiresAt, bool autoAccept, Actor actor);

    Task<InteractionSnapshot> MarkConnected(string agentId);

    /// <summary>The offer to <paramref name="agentId"/> fell through; it waits again, keeping its arrival time.</summary>
    Task<InteractionSnapshot> MarkReturned(string agentId, ReturnReason reason, string? detail);

    Task<InteractionSnapshot> MarkWrapUp(string agentId, string? disposition);

    Task<InteractionSnapshot> MarkCompleted(string agentId, Actor actor);

    /// <summary>A supervisor changes the base priority; a waiting interaction moves to its new place in line.</summary>
    Task<InteractionSnapshot> SetPriority(int priority, Actor actor);

    Task Subscribe(IInteractionObserver observer);

    Task Unsubscribe(IInteractionObserver observer);

    /// <summary>A queue changed something about the wait (relaxation, overflow, preferred-agent fallback).</summary>
    [OneWay]
    Task NoteFromQueue(QueueNote note);

    /// <summary>
    /// Reconciliation: <paramref name="agentId"/> reports that it does not hold this interaction. An offer goes back
    /// to its queue; connected or wrap-up work with that agent is closed as completed.
    /// </summary>
    Task Reconcile(string agentId);

    /// <summary>Recovery: a queue that lost its waiting list asks the interaction to wait in it again.</summary>
    [OneWay]
    Task Rejoin(string queueId);

    /// <summary>The queue's overflow sends the interaction to another queue, instead of or as well as its own.</summary>
    [OneWay]
    Task OverflowTo(string fromQueueId, string targetQueueId, OverflowMode mode);

    /// <summary>
    /// Forgets the customer's personal data this interaction holds (<see cref="ContextErasure"/>): its context and the
    /// journey shown with its offer, and for an erasure the customer id itself. Answers the customer id it held before,
    /// or null when the interaction was never created.
    /// </summary>
    Task<string?> ForgetPersonalData(ContextErasure erasure);
}

/// <summary>What an interaction forgets of its customer: always the context, and for an erasure the customer id.</summary>
[GenerateSerializer, Immutable]
public sealed record ContextErasure
{
    private ContextErasure(string? pseudonymousCustomerId)
    {
        PseudonymousCustomerId = pseudonymousCustomerId;
    }

    /// <summary>Set for an erasure: the id the interaction keeps instead of the customer's.</summary>
    [Id(0)]
    public string? PseudonymousCustomerId { get; init; }

    /// <summary>Retention: the context goes, the customer id stays.</summary>
    public static ContextErasure ContextOnly { get; } = new((string?)null);

    /// <summary>An administrator's erasure: the context goes and the customer id becomes <paramref name="pseudonymousId"/>.</summary>
    public static ContextErasure OfCustomer(string pseudonymousId) => new(pseudonymousId);
}

/// <summary>A watcher of one interaction.</summary>
public interface IInteractionObserver : IGrainObserver
{
    [OneWay]
    Task OnChanged(InteractionSnapshot interaction, InteractionEventRecord change);
}
