using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// What an interaction's state keeps after it forgets its customer: times, queues, channel, agent and history stay
/// (reports count them); the context, the journey shown with its offer and, for an erasure, the customer id go.
/// </summary>
internal static class InteractionForgetting
{
    /// <summary>Changes <paramref name="record"/>; false when it held nothing to forget.</summary>
    public static bool Apply(InteractionRecord record, ContextErasure erasure)
    {
        if (record.Current is not { } current)
        {
            return false;
        }

        var customerId = erasure.PseudonymousCustomerId ?? current.CustomerId;
        if (current.Context.IsEmpty && record.RecentJourney.IsEmpty && customerId == current.CustomerId)
        {
            return false;
        }

        record.Current = current with { CustomerId = customerId, Context = ImmutableDictionary<string, string>.Empty };
        record.RecentJourney = [];
        return true;
    }
}
