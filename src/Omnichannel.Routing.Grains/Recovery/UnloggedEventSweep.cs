using Omnichannel.Routing.Abstractions;
using Orleans.Storage;

namespace Omnichannel.Routing.Grains.Recovery;

/// <summary>
/// Finds the events a crash kept from the event log: a grain stores its state with its new events (its outbox,
/// <see cref="EventOutbox"/>) and then appends them; if the append failed and the process died, they wait in the
/// stored state until something touches that grain again. This reads the states written since the last sweep, without
/// activating any grain, and answers the events in each one's stored outbox, for recovery to append. A stored outbox
/// keeps its events until the grain's next write even when they were logged; the log keeps the first recording of
/// each sequence number and ignores the others, so appending them again is harmless.
/// </summary>
internal sealed class UnloggedEventSweep(IStoredGrainStates states, IGrainStorageSerializer serializer)
{
    /// <summary>
    /// Each stored state's unlogged events, for the states written since the last finished sweep, and how many states
    /// could not be read (they are left for their grain, which flushes its outbox when it next activates).
    /// </summary>
    public async Task<SweepFindings> FindAsync(StateSweep sweep, CancellationToken cancellationToken)
    {
        var unlogged = new List<IReadOnlyList<RoutingEvent>>();
        var read = 0;
        var unreadable = 0;
        await foreach (var state in states.ReadAsync(sweep, cancellationToken))
        {
            read++;
            try
            {
                if (Unlogged(state) is { Count: > 0 } events)
                {
                    unlogged.Add([.. events]);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One state this build cannot read must not hold every other recovery step back.
                unreadable++;
            }
        }

        return new SweepFindings(read, unlogged, unreadable);
    }

    /// <summary>The unlogged events of one state; null for a state that keeps no outbox. The names are each grain's <c>[PersistentState]</c>.</summary>
    private List<RoutingEvent>? Unlogged(StoredGrainState state)
    {
        var payload = new BinaryData(state.Payload);
        return state.StateName switch
        {
            "interaction" => serializer.Deserialize<InteractionRecord>(payload)?.UnloggedEvents,
            "agent" => serializer.Deserialize<AgentRecord>(payload)?.UnloggedEvents,
            "queue" => serializer.Deserialize<QueueRecord>(payload)?.UnloggedEvents,
            "customer" => serializer.Deserialize<CustomerRecord>(payload)?.UnloggedEvents,
            "channels" => serializer.Deserialize<ChannelCatalogRecord>(payload)?.UnloggedEvents,
            _ => null,
        };
    }
}

/// <summary>What a sweep found: the states it read, each one's unlogged events, and the states it could not read.</summary>
internal sealed record SweepFindings(int Read, IReadOnlyList<IReadOnlyList<RoutingEvent>> Unlogged, int Unreadable);
