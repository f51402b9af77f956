using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// Tells others (one-way, never awaited) how an interaction is doing: its queue, for the queue's statistics, and the
/// customer, for the journey.
/// </summary>
internal sealed class InteractionProgressReporter
{
    private readonly string _interactionId;
    private readonly TimeProvider _clock;
    private readonly Func<string, IQueueGrain> _queues;
    private readonly Func<string, ICustomerGrain> _customers;

    public InteractionProgressReporter(string interactionId, TimeProvider clock, Func<string, IQueueGrain> queues, Func<string, ICustomerGrain> customers)
    {
        _interactionId = interactionId;
        _clock = clock;
        _queues = queues;
        _customers = customers;
    }

    /// <summary>Tells the queue that served the interaction where it stands now.</summary>
    public void Track(string queueId, InteractionState state, TimeSpan? waited = null, TimeSpan? handle = null) =>
        _queues(queueId).Track(new InteractionProgress(_interactionId, state, waited, handle, _clock.GetUtcNow())).Ignore();

    /// <summary>
    /// Tells the customer's grain where the interaction stands. Each is a write there, so only what the journey
    /// shows is sent: arrival and transfers (<paramref name="force"/>), connection (the agent) and the end; an offer,
    /// wrap-up or return to the queue changes nothing the journey shows.
    /// </summary>
    public void RecordJourney(InteractionSnapshot c, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (!force && c.State is InteractionState.Offered or InteractionState.WrapUp or InteractionState.Queued)
        {
            return;
        }

        _customers(c.CustomerId).RecordProgress(new JourneyEntryView(
            c.InteractionId, c.Channel, c.QueueId, c.AgentId, c.State, c.CreatedAt, c.ConnectedAt, c.EndedAt, c.Disposition, c.Context, c.JourneyId, c.EndReason)).Ignore();
    }
}
