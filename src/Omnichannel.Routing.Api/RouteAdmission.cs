using Microsoft.Extensions.Options;

namespace Omnichannel.Routing.Api;

/// <summary>
/// Caps the routes this host works on at once. Past the cap a front-end is told RESOURCE_EXHAUSTED at once (and
/// retries with the same request_id) instead of joining a backlog whose latency would outlast the offer timeouts of
/// everything behind it: overload sheds new work rather than making all work late.
/// </summary>
public sealed class RouteAdmission(IOptions<ApiOptions> options)
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= options.Value.MaxRoutesInFlight)
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
