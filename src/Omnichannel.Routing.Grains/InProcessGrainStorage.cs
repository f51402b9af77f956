using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
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
/// With a log that <see cref="IRoutingEventLog.CommitsWithState">commits with the state</see> (the embedded default's
/// <see cref="InMemoryRoutingEventLog"/>), a write appends the state's unlogged events to it before it answers, as the
/// PostgreSQL storage does in its statement: a stored state then means its events are logged, so a grain reactivated
/// from a copy that still lists them does not log them a second time.
/// </summary>
/// <remarks>
/// Memory is the embedded default's database, so it keeps a bounded number of records at rest of each kind (see
/// <see cref="IRestingState"/>), forgetting the one at rest longest first, as its event log keeps the most recent events:
/// ended interactions (<see cref="RoutingOptions.EmbeddedFinishedInteractions"/>; unbounded, the host grew ~9 KB per
/// finished interaction for as long as it ran) and customers with nothing open
/// (<see cref="RoutingOptions.EmbeddedRestingCustomers"/>; unbounded, it grew with every new customer). A record that is
/// not at rest, or was cleared (an erasure: the cleared entry refuses writers from before it), is never forgotten. An
/// activation may outlive its forgotten record; its next write stores it again (one silo holds one activation of a
/// grain, so that writer holds the newest state there was).
/// </remarks>
public sealed class InProcessGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string StateName, GrainId Grain), Stored> _states = new();
    private readonly RestingRecords<(string StateName, GrainId Grain), Stored> _endedInteractions;
    private readonly RestingRecords<(string StateName, GrainId Grain), Stored> _restingCustomers;
    private readonly DeepCopier _copier;
    private readonly IRoutingEventLog _log;

    /// <param name="copier">Orleans' copier: immutable values (strings, immutable collections) are shared, not copied.</param>
    /// <param name="log">The event log: appended to in each write when it commits with the state.</param>
    /// <param name="options">How many records at rest to keep of each kind.</param>
    public InProcessGrainStorage(DeepCopier copier, IRoutingEventLog log, IOptions<RoutingOptions> options)
        : this(
            copier,
            log,
            options?.Value.EmbeddedFinishedInteractions ?? throw new ArgumentNullException(nameof(options)),
            options.Value.EmbeddedRestingCustomers)
    {
    }

    internal InProcessGrainStorage(DeepCopier copier, IRoutingEventLog log, int finishedKept, int restingCustomersKept)
    {
        _copier = copier;
        _log = log;
        _endedInteractions = new(finishedKept);
        _restingCustomers = new(restingCustomersKept);
    }

    /// <summary>Records held, at rest or not.</summary>
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

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = (stateName, grainId);
        var stored = Replace(key, grainState.ETag, _copier.Copy(grainState.State));
        grainState.ETag = Tag(stored.Version);
        grainState.RecordExists = true;
        if (_log.CommitsWithState && grainState.State is IHoldsUnloggedEvents { UnloggedEvents.Count: > 0 } holder)
        {
            await _log.AppendAsync(holder.UnloggedEvents);
        }

        if (stored.State is IRestingState resting)
        {
            Note(key, stored, resting);
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        // The entry stays with a new version and no state, so a stale writer still cannot write over the clear; it is
        // never forgotten, or such a writer could bring back what was erased.
        var key = (stateName, grainId);
        grainState.ETag = Tag(Replace(key, grainState.ETag, state: null).Version);
        if (grainState.State is IRestingState resting)
        {
            RestingOf(resting.Kind).Leave(key);
        }

        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    // Stores the state over the version the writer read (none: there must be no entry yet), answering what it stored.
    private Stored Replace((string StateName, GrainId Grain) key, string? etag, object? state)
    {
        if (etag is null)
        {
            var first = new Stored(1, state);
            return _states.TryAdd(key, first) ? first : throw Conflict(key, etag);
        }

        if (!_states.TryGetValue(key, out var current))
        {
            // Forgotten at rest while its activation lived on (nothing else removes an entry): stored again.
            if (!long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var forgotten))
            {
                throw Conflict(key, etag);
            }

            var again = new Stored(forgotten + 1, state);
            return _states.TryAdd(key, again) ? again : throw Conflict(key, etag);
        }

        var next = new Stored(current.Version + 1, state);
        return Tag(current.Version) == etag && _states.TryUpdate(key, next, current) ? next : throw Conflict(key, etag);
    }

    // Counts a record at rest, forgetting the one of its kind at rest longest beyond the bound if it is still stored as
    // it was then; a record written with something open leaves the count.
    private void Note((string StateName, GrainId Grain) key, Stored stored, IRestingState resting)
    {
        var records = RestingOf(resting.Kind);
        if (!resting.IsAtRest)
        {
            records.Leave(key);
        }
        else if (records.Rest(key, stored) is { } oldest)
        {
            _states.TryRemove(oldest);
        }
    }

    private RestingRecords<(string StateName, GrainId Grain), Stored> RestingOf(RestingKind kind) => kind switch
    {
        RestingKind.EndedInteraction => _endedInteractions,
        RestingKind.Customer => _restingCustomers,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private InconsistentStateException Conflict((string StateName, GrainId Grain) key, string? etag) =>
        new($"The state {key.StateName} of {key.Grain} changed since version {etag ?? "none"} was read.",
            storedEtag: _states.TryGetValue(key, out var stored) ? Tag(stored.Version) : "none",
            currentEtag: etag ?? "none");

    private static string Tag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private sealed record Stored(long Version, object? State);
}
