namespace Omnichannel.Routing.Abstractions;

/// <summary>One grain's stored state as the storage holds it: the state's name and its serialized record.</summary>
/// <param name="StateName">The name the grain gave its state (<c>[PersistentState("interaction", …)]</c>).</param>
/// <param name="Payload">The record, in the storage's serialization.</param>
public sealed record StoredGrainState(string StateName, ReadOnlyMemory<byte> Payload);

/// <summary>
/// One sweep over the stored grain states: those written since the previous finished sweep began (every state, the
/// first time), as of <paramref name="Started"/>.
/// </summary>
/// <param name="Since">The previous finished sweep's start, less a margin for writes in flight then; null the first time.</param>
/// <param name="Started">When this sweep began, by the database's clock.</param>
public sealed record StateSweep(DateTimeOffset? Since, DateTimeOffset Started);

/// <summary>
/// Durable mode's stored grain states, read by recovery to find events a crash kept from the event log (stored with
/// a state whose append failed) without activating the grains. Each sweep reads only what was written since the last
/// finished one, so the cost follows the recent writes, not everything ever stored.
/// </summary>
public interface IStoredGrainStates
{
    Task<StateSweep> BeginSweepAsync(CancellationToken cancellationToken = default);

    IAsyncEnumerable<StoredGrainState> ReadAsync(StateSweep sweep, CancellationToken cancellationToken = default);

    /// <summary>Records that every state the sweep read has had its events logged.</summary>
    Task FinishSweepAsync(StateSweep sweep, CancellationToken cancellationToken = default);
}
