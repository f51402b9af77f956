using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// The embedded default's grain storage: each grain's state kept in this process as a deep copy, keyed by grain and
/// state name, with a version as its ETag. Orleans' memory storage sends every read and write as a message to a
/// storage grain and serializes the state there; a single silo that keeps nothing across restarts needs neither,
/// so a write here is a copy and a dictionary update in the caller's turn. The copy is what makes it storage: the
/// activation goes on changing its own objects, and a reactivated grain gets the state as it was last written.
/// One silo only: the embedded default runs one, and cluster mode requires PostgreSQL.
/// </summary>
/// <remarks>
/// Memory is the embedded default's database, so it keeps a bounded number of finished records (ended
/// interactions, <see cref="RoutingOptions.EmbeddedFinishedInteractions"/>), forgetting the oldest first, as its event
/// log keeps the most recent events: unbounded, the host grew ~9 KB per finished interaction for as long as it ran.
/// </remarks>
public sealed class InProcessGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string StateName, GrainId Grain), Stored> _states = new();
    private readonly ConcurrentDictionary<(string StateName, GrainId Grain), byte> _finished = new();
    private readonly ConcurrentQueue<(string StateName, GrainId Grain)> _finishedInOrder = new();
    private readonly DeepCopier _copier;
    private readonly int _finishedKept;

    /// <param name="copier">Orleans' copier: immutable values (strings, immutable collections) are shared, not copied.</param>
    /// <param name="options">How many finished records to keep.</param>
    public InProcessGrainStorage(DeepCopier copier, IOptions<RoutingOptions> options)
        : this(copier, options?.Value.EmbeddedFinishedInteractions ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    internal InProcessGrainStorage(DeepCopier copier, int finishedKept)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(finishedKept);
        _copier = copier;
        _finishedKept = finishedKept;
    }

    /// <summary>Records held, finished or not.</summary>
    public int Count => _states.Count;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (_states.TryGetValue((stateName, grainId), out var stored))
        {
            grainState.ETag = Tag(stored.Version);
            grainState.RecordExists = stored.State is not null;
            if (stored.State is T state)
            {
                grainState.State = _copier.Copy(state);
            }
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        grainState.ETag = Tag(Replace(stateName, grainId, grainState.ETag, _copier.Copy(grainState.State)));
        grainState.RecordExists = true;
        if (grainState.State is IFinishedState { IsFinished: true })
        {
            KeepFinished((stateName, grainId));
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        // The entry stays with a new version and no state, so a stale writer still cannot write over the clear.
        grainState.ETag = Tag(Replace(stateName, grainId, grainState.ETag, state: null));
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    // Stores the state over the version the writer read (none: there must be no entry yet), answering the new version.
    private long Replace(string stateName, GrainId grainId, string? etag, object? state)
    {
        var key = (stateName, grainId);
        if (etag is null)
        {
            return _states.TryAdd(key, new Stored(1, state)) ? 1 : throw Conflict(stateName, grainId, etag);
        }

        if (_states.TryGetValue(key, out var current) && Tag(current.Version) == etag
            && _states.TryUpdate(key, new Stored(current.Version + 1, state), current))
        {
            return current.Version + 1;
        }

        throw Conflict(stateName, grainId, etag);
    }

    // Notes a record as finished once, and forgets the oldest finished records beyond the number kept.
    private void KeepFinished((string StateName, GrainId Grain) key)
    {
        if (!_finished.TryAdd(key, 0))
        {
            return;
        }

        _finishedInOrder.Enqueue(key);
        while (_finished.Count > _finishedKept && _finishedInOrder.TryDequeue(out var oldest))
        {
            _finished.TryRemove(oldest, out _);
            _states.TryRemove(oldest, out _);
        }
    }

    private InconsistentStateException Conflict(string stateName, GrainId grainId, string? etag) =>
        new($"The state {stateName} of {grainId} changed since version {etag ?? "none"} was read.",
            storedEtag: _states.TryGetValue((stateName, grainId), out var stored) ? Tag(stored.Version) : "none",
            currentEtag: etag ?? "none");

    private static string Tag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private sealed record Stored(long Version, object? State);
}

/// <summary>A grain state that can say it is finished: the embedded storage may forget it once enough newer ones are.</summary>
internal interface IFinishedState
{
    bool IsFinished { get; }
}
