using System.Collections.Immutable;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Abstractions;

/// <summary>What a recorded event is about.</summary>
public enum RoutingEventSubject
{
    Interaction = 0,
    Agent = 1,
    Queue = 2,
    Configuration = 3,
    Customer = 4,
}

/// <summary>
/// One entry of the engine's event log: what happened, when, to what, and who caused it. Made by the factory for
/// its subject (<see cref="ForInteraction"/>, <see cref="ForAgent"/>, <see cref="ForQueue"/>,
/// <see cref="ForConfiguration"/>, <see cref="ForCustomerJourney"/>), so each caller names only what applies to it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RoutingEvent
{
    private RoutingEvent(DateTimeOffset time, RoutingEventSubject subject, string subjectId, long sequence, RoutingEventType type, Actor actor)
    {
        Time = time;
        Subject = subject;
        SubjectId = subjectId;
        Sequence = sequence;
        Type = type;
        Actor = actor;
    }

    [Id(0)]
    public DateTimeOffset Time { get; init; }

    [Id(1)]
    public RoutingEventSubject Subject { get; init; }

    [Id(2)]
    public string SubjectId { get; init; }

    /// <summary>Order within the subject; the same number always means the same event, so appends may repeat.</summary>
    [Id(3)]
    public long Sequence { get; init; }

    [Id(4)]
    public RoutingEventType Type { get; init; }

    [Id(5)]
    public string? InteractionId { get; init; }

    [Id(6)]
    public string? AgentId { get; init; }

    [Id(7)]
    public string? QueueId { get; init; }

    [Id(8)]
    public Actor Actor { get; init; }

    /// <summary>The interaction's state before the change (interaction events only).</summary>
    [Id(9)]
    public InteractionState? From { get; init; }

    /// <summary>The interaction's state after the change (interaction and journey events).</summary>
    [Id(10)]
    public InteractionState? To { get; init; }

    [Id(11)]
    public string? Detail { get; init; }

    /// <summary>
    /// Where the interaction waits after this event, when it waits: the log's latest-state index keeps it, so a queue
    /// rebuilds its waiting line without activating the interactions (interaction events only; the latest one counts).
    /// </summary>
    [Id(12)]
    public WaitingPlace? Waiting { get; init; }

    /// <summary>The interaction's channel (interaction events), so reports can cut by channel from the log alone.</summary>
    [Id(13)]
    public string? Channel { get; init; }

    /// <summary>
    /// The interaction's base priority after the change (interaction events), so reports give the longest wait per
    /// priority from the log alone; null on events recorded before the log kept it.
    /// </summary>
    [Id(14)]
    public int? Priority { get; init; }

    /// <summary>One change from an interaction's history.</summary>
    public static RoutingEvent ForInteraction(string interactionId, InteractionEventRecord change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new RoutingEvent(change.Time, RoutingEventSubject.Interaction, interactionId, change.Sequence, change.Type, change.Actor)
        {
            InteractionId = interactionId,
            AgentId = change.AgentId,
            QueueId = change.QueueId,
            From = change.From,
            To = change.To,
            Detail = change.Detail,
        };
    }

    /// <summary>A change to an agent's definition or presence.</summary>
    public static RoutingEvent ForAgent(DateTimeOffset time, string agentId, long sequence, RoutingEventType type, Actor actor, string? detail) =>
        new(time, RoutingEventSubject.Agent, agentId, sequence, type, actor) { AgentId = agentId, Detail = detail };

    /// <summary>A change to a queue's configuration.</summary>
    public static RoutingEvent ForQueue(DateTimeOffset time, string queueId, long sequence, RoutingEventType type, Actor actor, string? detail) =>
        new(time, RoutingEventSubject.Queue, queueId, sequence, type, actor) { QueueId = queueId, Detail = detail };

    /// <summary>A change to engine-wide configuration, such as the channel catalogue.</summary>
    public static RoutingEvent ForConfiguration(DateTimeOffset time, string configurationId, long sequence, RoutingEventType type, Actor actor, string? detail) =>
        new(time, RoutingEventSubject.Configuration, configurationId, sequence, type, actor) { Detail = detail };

    /// <summary>An ended entry of a customer's journey, kept in the log past the grain's bound.</summary>
    public static RoutingEvent ForCustomerJourney(DateTimeOffset time, string customerId, long sequence, JourneyEntryView entry, string detail)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new RoutingEvent(time, RoutingEventSubject.Customer, customerId, sequence, RoutingEventType.JourneyEntry, Actor.Engine)
        {
            InteractionId = entry.InteractionId,
            AgentId = entry.AgentId,
            QueueId = entry.QueueId,
            To = entry.State,
            Detail = detail,
        };
    }

    /// <summary>
    /// A customer's personal data was erased: recorded under the customer's pseudonymous id, never the id itself, with
    /// the principal who asked. The sequence is the erasure's time in ticks, so a second erasure is a second event.
    /// </summary>
    public static RoutingEvent ForCustomerErasure(DateTimeOffset time, string pseudonymousId, Actor actor, int interactions) =>
        new(time, RoutingEventSubject.Customer, pseudonymousId, time.UtcTicks, RoutingEventType.CustomerErased, actor)
        {
            Detail = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"interactions={interactions}"),
        };

    /// <summary>
    /// An event read back from a log: the fields every event has; the log sets the others it stored with
    /// <c>with</c>.
    /// </summary>
    public static RoutingEvent Recorded(DateTimeOffset time, RoutingEventSubject subject, string subjectId, long sequence, RoutingEventType type, Actor actor) =>
        new(time, subject, subjectId, sequence, type, actor);
}

/// <summary>
/// The append-only event log of every state change (contract §4), and the index of each interaction's latest state
/// that recovery reads. Grains append; an append that returns has been recorded as durably as the configured log
/// can make it (in durable mode: committed to PostgreSQL, in a group with whatever else was pending).
/// </summary>
public interface IRoutingEventLog
{
    /// <summary>True when the log outlives the process (durable mode); the embedded default keeps nothing.</summary>
    bool IsDurable { get; }

    /// <summary>
    /// True when the grain storage appends a state's <see cref="IHoldsUnloggedEvents.UnloggedEvents"/> in the
    /// transaction that stores it: a stored state then means its events are logged, and a grain's outbox has nothing
    /// left to append after a successful write. False by default: the outbox appends after the write.
    /// </summary>
    bool CommitsWithState => false;

    ValueTask AppendAsync(IReadOnlyList<RoutingEvent> routingEvents, CancellationToken cancellationToken = default);

    /// <summary>Every recorded event of one subject, in sequence order.</summary>
    ValueTask<IReadOnlyList<RoutingEvent>> ReadAsync(RoutingEventSubject subject, string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> events of one subject and type with a sequence below <paramref name="beforeSequence"/>, newest first.</summary>
    ValueTask<IReadOnlyList<RoutingEvent>> ReadNewestAsync(RoutingEventSubject subject, string subjectId, RoutingEventType type, long beforeSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> events of every subject that happened in [<paramref name="since"/>,
    /// <paramref name="until"/>), in time order (ties in the order recorded): what interval reports read. The embedded
    /// default answers from the recent events it holds.
    /// </summary>
    ValueTask<IReadOnlyList<RoutingEvent>> ReadRangeAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Interactions whose latest recorded state is QUEUED in <paramref name="queueId"/> (their own queue or one they
    /// also wait in), each with the entry its latest event recorded; null for one recorded before entries were kept.
    /// </summary>
    ValueTask<IReadOnlyList<RecordedWait>> WaitingEntriesInAsync(string queueId, CancellationToken cancellationToken = default);

    /// <summary>Interactions an agent holds (offered, connected or wrap-up), by the latest recorded states.</summary>
    ValueTask<IReadOnlyList<string>> HeldInteractionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Agents that hold an offered, connected or wrap-up interaction, by the latest recorded states.</summary>
    ValueTask<IReadOnlyList<string>> AgentsWithWorkAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes what the log holds of one customer's personal data (<see cref="ErasedCustomer"/>): the journey entries
    /// recorded under the customer's id (their context and attributes) and the customer id in the waiting places of
    /// the customer's interactions. The interactions' own events stay: they hold what reports count (times, queues,
    /// channels, agents) and no customer data. The grains have cleared their states before this is called.
    /// </summary>
    ValueTask EraseCustomerAsync(ErasedCustomer customer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> interactions that ended before <paramref name="endedBefore"/> and whose context
    /// has not been forgotten yet (<see cref="ContextForgottenAsync"/>): the retention job's next pass.
    /// </summary>
    ValueTask<IReadOnlyList<string>> EndedWithContextAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The interactions' grains forgot their context: the log drops it from their journey entries and stops listing
    /// them in <see cref="EndedWithContextAsync"/>.
    /// </summary>
    ValueTask ContextForgottenAsync(IReadOnlyList<string> interactionIds, CancellationToken cancellationToken = default);
}

/// <summary>A customer whose personal data is being erased, and where the log may still hold it.</summary>
/// <param name="CustomerId">The customer's id, as the log recorded it.</param>
/// <param name="PseudonymousId">What reports and the erasure's own event use instead (a keyed hash of the id).</param>
/// <param name="InteractionIds">The customer's interactions, as the customer grain and the log's journey knew them.</param>
[GenerateSerializer, Immutable]
public sealed record ErasedCustomer(string CustomerId, string PseudonymousId, ImmutableArray<string> InteractionIds);

/// <summary>Where a waiting interaction waits: the entry every queue it waits in holds, and the queues beside its own.</summary>
/// <param name="Entry">What its queues hold for it (its own wait, with its original arrival time).</param>
/// <param name="AlsoQueues">Queues it also waits in after an overflow in mode "also".</param>
[GenerateSerializer, Immutable]
public sealed record WaitingPlace(QueueEntry Entry, ImmutableArray<string> AlsoQueues);

/// <summary>One waiting interaction as the log's latest-state index records it.</summary>
/// <param name="InteractionId">The interaction.</param>
/// <param name="Entry">The entry its latest event recorded; null when that event predates recorded entries.</param>
[GenerateSerializer, Immutable]
public sealed record RecordedWait(string InteractionId, QueueEntry? Entry);
