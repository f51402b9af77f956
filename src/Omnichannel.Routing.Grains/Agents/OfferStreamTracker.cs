using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// The desktops attached to one agent's offer stream, each with the end of its lease, and since when the agent has
/// had none. A stream not renewed within its lease counts as lost; once the last one is gone the grace period runs,
/// and an agent still signed in with no desktop at its end is taken as gone (contract §3.8).
/// </summary>
internal sealed class OfferStreamTracker
{
    private readonly Dictionary<IOfferObserver, DateTimeOffset> _leaseEnds = [];
    private readonly TimeSpan _lease;
    private readonly TimeSpan _grace;
    private DateTimeOffset? _absentSince;

    /// <param name="lease">How long a stream counts as attached after it last attached or renewed.</param>
    /// <param name="grace">How long a signed-in agent may have no stream before it is taken as gone.</param>
    public OfferStreamTracker(TimeSpan lease, TimeSpan grace)
    {
        _lease = lease;
        _grace = grace;
    }

    /// <summary>True while at least one desktop is attached.</summary>
    public bool AnyAttached => _leaseEnds.Count > 0;

    /// <summary>Attaches a stream or renews its lease; answers whether it was already attached.</summary>
    public bool Renew(IOfferObserver observer, DateTimeOffset now)
    {
        var known = _leaseEnds.ContainsKey(observer);
        _leaseEnds[observer] = now + _lease;
        _absentSince = null;
        return known;
    }

    /// <summary>Starts the grace period now if no desktop is attached (the agent signed in, or was reactivated).</summary>
    public void StartAbsenceIfNoneAttached(DateTimeOffset now)
    {
        if (_leaseEnds.Count == 0)
        {
            _absentSince = now;
        }
    }

    /// <summary>Detaches a stream; answers true when that left a signed-in agent with none and the grace began.</summary>
    public bool Detach(IOfferObserver observer, DateTimeOffset now, bool signedIn)
    {
        if (_leaseEnds.Remove(observer) && _leaseEnds.Count == 0 && signedIn)
        {
            _absentSince = now;
            return true;
        }

        return false;
    }

    /// <summary>Drops the streams whose lease ran out; when none is left the absence dates from the lease's end.</summary>
    public void ExpireLeases(DateTimeOffset now)
    {
        if (LeaseEnds is not { } earliest || earliest > now)
        {
            return;
        }

        foreach (var (observer, leaseEnd) in _leaseEnds.ToList())
        {
            if (leaseEnd <= now)
            {
                _leaseEnds.Remove(observer);
                if (_leaseEnds.Count == 0)
                {
                    _absentSince = leaseEnd;
                }
            }
        }
    }

    /// <summary>
    /// True when a signed-in agent has had no stream for the whole grace period. It answers true once: the absence
    /// is then forgotten, so the agent is not taken as gone again until a new absence begins.
    /// </summary>
    public bool GraceRanOut(DateTimeOffset now, bool signedIn)
    {
        if (signedIn && _leaseEnds.Count == 0 && _absentSince is { } since && since + _grace <= now)
        {
            _absentSince = null;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The earliest end of an attached stream's lease, or null when none is attached. The silo's
    /// <see cref="OfferLeaseSweep"/> watches it, so the agent arms no timer of its own while its desktops renew.
    /// </summary>
    public DateTimeOffset? LeaseEnds
    {
        get
        {
            DateTimeOffset? earliest = null;
            foreach (var leaseEnd in _leaseEnds.Values)
            {
                if (earliest is null || leaseEnd < earliest)
                {
                    earliest = leaseEnd;
                }
            }

            return earliest;
        }
    }

    /// <summary>When the grace period of a signed-in agent with no stream runs out, or null when there is none.</summary>
    public DateTimeOffset? GraceEnds(bool signedIn) =>
        signedIn && _leaseEnds.Count == 0 && _absentSince is { } since ? since + _grace : null;

    /// <summary>Sends to every attached desktop, one-way: a slow or vanished desktop never holds up the agent.</summary>
    public void Notify(Func<IOfferObserver, Task> send)
    {
        foreach (var observer in _leaseEnds.Keys)
        {
            send(observer).Ignore();
        }
    }
}
