using Orleans.Storage;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>What every routing grain does when its state cannot be stored.</summary>
public abstract class RoutingGrain : Grain
{
    /// <summary>
    /// Writes the state, or refuses with UNAVAILABLE. A failed write leaves this activation's memory ahead of
    /// storage (or behind it, after an ETag conflict with a duplicate activation), so the activation is dropped and
    /// the next call starts from what storage holds: nothing is acknowledged that was not stored.
    /// </summary>
    protected async Task WriteDurablyAsync<T>(IPersistentState<T> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e) when (e is not RoutingException)
        {
            DeactivateOnIdle();
            throw Unavailable(e);
        }
    }

    protected static RoutingException Unavailable(Exception cause) =>
        new(RoutingErrorCode.Unavailable, null, cause is InconsistentStateException
            ? "the state changed elsewhere (a duplicate activation during a membership change); retry"
            : "storage is unavailable; retry (with the same request_id for routes)");
}
