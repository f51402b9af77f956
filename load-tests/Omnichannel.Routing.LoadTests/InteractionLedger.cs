using System.Collections.Concurrent;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.LoadTests;

/// <summary>What the client knows of one interaction, from the front-end's answer and the desks' streams.</summary>
internal sealed class TrackedInteraction
{
    private readonly ConcurrentQueue<string> _trail = new();
    private string? _holder;

    public TrackedInteraction(string id)
    {
        Id = id;
    }

    public string Id { get; }

    public string? Channel { get; set; }

    /// <summary>RouteInteraction answered OK with this id.</summary>
    public bool Acknowledged { get; set; }

    /// <summary>Offers received for it, on any desk.</summary>
    public int Offers;

    /// <summary>The desk that finished its lifecycle (wrap-up ended), if one did.</summary>
    public string? CompletedBy { get; set; }

    /// <summary>The desk holding it now, as the streams showed it.</summary>
    public string? Holder => Volatile.Read(ref _holder);

    /// <summary>Takes it for <paramref name="agentId"/>; answers the other desk holding it, if one does.</summary>
    public string? TryHold(string agentId)
    {
        var previous = Interlocked.CompareExchange(ref _holder, agentId, null);
        return previous is null || previous == agentId ? null : previous;
    }

    public void Release(string agentId) => Interlocked.CompareExchange(ref _holder, null, agentId);

    /// <summary>The desks' failed steps and why a desk stopped, oldest first: what the audit prints when it is left unfinished.</summary>
    public IReadOnlyCollection<string> Trail => _trail;

    /// <summary>Notes a failed step; the first few are kept, which is where a stuck lifecycle goes wrong.</summary>
    public void Note(string text)
    {
        if (_trail.Count < 12)
        {
            _trail.Enqueue(text);
        }
    }
}

/// <summary>
/// Every interaction the run touched, by id: what the front-ends were told was routed, and what the desks did with
/// it. The invariant audit checks it against the engine's own record.
/// </summary>
internal sealed class InteractionLedger
{
    private readonly ConcurrentDictionary<string, TrackedInteraction> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<RouteInteractionRequest> _ambiguousRequests = new();

    public TrackedInteraction this[string id] => _byId.GetOrAdd(id, static i => new TrackedInteraction(i));

    public IEnumerable<TrackedInteraction> All => _byId.Values;

    public IEnumerable<TrackedInteraction> Acknowledged => _byId.Values.Where(t => t.Acknowledged);

    /// <summary>Requests whose answer was lost (deadline, connection): the engine may or may not have routed them.</summary>
    public IReadOnlyCollection<RouteInteractionRequest> AmbiguousRequests => _ambiguousRequests;

    /// <summary>What the desks saw that breaks an invariant (two desks holding one interaction, a status over capacity).</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    public void Problem(string text)
    {
        if (_problems.Count < 10_000)
        {
            _problems.Enqueue(text);
        }
    }

    public void Ambiguous(RouteInteractionRequest request) => _ambiguousRequests.Enqueue(request);

    public int Count => _byId.Count;
}
