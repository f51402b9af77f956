using System.Globalization;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Storage.EventLog;
using Orleans.Serialization;
using Orleans.Storage;

namespace Omnichannel.Routing.Storage.GrainState;

/// <summary>
/// The engine's grain storage in PostgreSQL (table <c>grain_state</c>): every read and write goes through the
/// <see cref="StateCommitter"/>, so many grains share one transaction. The ETag is the row's version. A state that
/// <see cref="IHoldsUnloggedEvents">holds unlogged events</see> has them appended to the event log in the statement
/// that writes it, only if that write matched: a stored state always has its events in the log, and the grain's
/// outbox has nothing left to append (<see cref="IRoutingEventLog.CommitsWithState"/>).
/// </summary>
public sealed class PostgresGrainStorage : IGrainStorage
{
    private readonly StateCommitter _queue;
    private readonly OrleansGrainStorageSerializer _serializer;

    /// <param name="queue">The group commit every read and write goes through.</param>
    /// <param name="serializer">
    /// Orleans' own binary format, the one grain calls use: JSON cannot rebuild the immutable collections the grains
    /// keep, and binary is smaller and faster on the hot path.
    /// </param>
    public PostgresGrainStorage(StateCommitter queue, Serializer serializer)
    {
        _queue = queue;
        _serializer = new OrleansGrainStorageSerializer(serializer);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var stored = await _queue.EnqueueAsync(StateOperation.ReadOf(Key(stateName, grainId)));
        grainState.ETag = stored is null ? null : Tag(stored.Version);
        grainState.RecordExists = stored?.Payload is not null;
        if (stored?.Payload is { } payload)
        {
            grainState.State = _serializer.Deserialize<T>(BinaryData.FromBytes(payload));
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        // Serialized here, in the grain's turn: what is stored is the state as the grain left it when it asked.
        var payload = _serializer.Serialize(grainState.State).ToArray();
        var events = grainState.State is IHoldsUnloggedEvents { UnloggedEvents.Count: > 0 } holder ? RoutingEventRows.Of(holder.UnloggedEvents) : null;
        var key = Key(stateName, grainId);
        var written = await _queue.EnqueueAsync(StateOperation.WriteOf(key, ExpectedVersion(grainState.ETag), payload, events));
        grainState.ETag = Tag(Stored(written, key, grainState.ETag).Version);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        // The row stays with a new version and no state, so a stale activation still cannot write over the clear.
        var key = Key(stateName, grainId);
        var cleared = await _queue.EnqueueAsync(StateOperation.WriteOf(key, ExpectedVersion(grainState.ETag), payload: null, events: null));
        grainState.ETag = Tag(Stored(cleared, key, grainState.ETag).Version);
        grainState.RecordExists = false;
    }

    private static StoredState Stored(StoredState? answer, StateKey key, string? etag) =>
        answer ?? throw new InconsistentStateException(
            $"The state of {key.GrainType}/{key.GrainId} ({key.StateName}) changed since version {etag ?? "none"} was read (a duplicate activation wrote it).",
            storedEtag: "unknown",
            currentEtag: etag ?? "none");

    private static StateKey Key(string stateName, GrainId grainId) => new(grainId.Type.ToString()!, grainId.Key.ToString()!, stateName);

    private static string Tag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static long? ExpectedVersion(string? etag) =>
        etag is null ? null
        : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version
        : throw new InconsistentStateException($"'{etag}' is not a version of this storage.", storedEtag: "unknown", currentEtag: etag);
}
