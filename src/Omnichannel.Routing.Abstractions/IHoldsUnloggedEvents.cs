namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// A grain state record that carries its committed events the event log may not have yet (the grain's outbox). A
/// storage whose writes commit the log too (<see cref="IRoutingEventLog.CommitsWithState"/>) appends these events in
/// the transaction that stores the record, and only if that write succeeds.
/// </summary>
public interface IHoldsUnloggedEvents
{
    /// <summary>The events, in the order they were recorded.</summary>
    IReadOnlyList<RoutingEvent> UnloggedEvents { get; }
}
