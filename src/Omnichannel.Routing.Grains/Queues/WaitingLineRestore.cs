using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// Puts a new activation's waiting line back from the event log's latest-state index, without calling the
/// interactions: each recorded entry is admitted again, in arrival order, with its original arrival time. An
/// interaction recorded before entries were kept is asked to rejoin instead, as every one was before. A row the
/// interaction has since moved on from is harmless: an offer is confirmed with the interaction, which refuses it
/// (<c>MarkOffered</c> answers null), and the agent gives the capacity back; it is never offered twice.
/// </summary>
internal static class WaitingLineRestore
{
    /// <summary>Admits every recorded entry through <paramref name="admit"/>; answers how many it restored so.</summary>
    public static int Restore(IReadOnlyList<RecordedWait> recorded, Action<QueueEntry> admit, IQueueMessenger messenger)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(admit);
        ArgumentNullException.ThrowIfNull(messenger);
        var restored = 0;
        var inArrivalOrder = recorded
            .OrderBy(w => w.Entry?.Arrival ?? DateTimeOffset.MaxValue)
            .ThenBy(w => w.InteractionId, StringComparer.Ordinal);
        foreach (var wait in inArrivalOrder)
        {
            if (wait.Entry is { } entry)
            {
                // Already accepted by the engine, and not a new arrival for the statistics.
                admit(entry with { Admitted = true, NewArrival = false });
                restored++;
            }
            else
            {
                messenger.Rejoin(wait.InteractionId);
            }
        }

        return restored;
    }
}
