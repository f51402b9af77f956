using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// The offer-stream leases of every agent active in this silo, checked by one timer for the whole silo. A lease only
/// runs out when a desktop's host stopped renewing (it died or lost the cluster); checking that per agent took a grain
/// timer per signed-in agent, re-armed on every renewal, which with thousands of desktops was most of an idle
/// host's work. An agent notes its earliest lease end here (a dictionary write, no message); the sweep tells the agents
/// whose lease passed, one-way, and they expire their streams and start the grace period on their own timer.
/// </summary>
internal sealed class OfferLeaseSweep : IDisposable
{
    private static readonly TimeSpan LongestPeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _leaseEnds = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly Action<string> _expire;
    private readonly ITimer _timer;

    [ActivatorUtilitiesConstructor]
    public OfferLeaseSweep(IGrainFactory grains, [FromKeyedServices(RoutingOptions.ClockKey)] TimeProvider clock, IOptions<RoutingOptions> options)
        : this(clock, PeriodFor(options.Value.OfferStreamLease), TimeProvider.System, id => grains.Agent(id).CheckOfferStreamLeases().Ignore())
    {
    }

    /// <param name="clock">The routing clock leases are measured on.</param>
    /// <param name="period">How often the sweep looks.</param>
    /// <param name="ticks">The clock the sweep's own timer runs on.</param>
    /// <param name="expire">Tells one agent its lease passed.</param>
    public OfferLeaseSweep(TimeProvider clock, TimeSpan period, TimeProvider ticks, Action<string> expire)
    {
        _clock = clock;
        _expire = expire;
        Period = period;
        _timer = ticks.CreateTimer(_ => Sweep(), null, period, period);
    }

    /// <summary>How often the sweep looks: a quarter of the lease, at most a second.</summary>
    public TimeSpan Period { get; }

    /// <summary>How many agents have a lease watched.</summary>
    public int Watched => _leaseEnds.Count;

    /// <summary>Watches <paramref name="agentId"/>'s earliest lease end; null stops watching it.</summary>
    public void Watch(string agentId, DateTimeOffset? leaseEnds)
    {
        if (leaseEnds is { } end)
        {
            _leaseEnds[agentId] = end;
        }
        else
        {
            _leaseEnds.TryRemove(agentId, out _);
        }
    }

    /// <summary>True while <paramref name="agentId"/>'s lease is watched.</summary>
    public bool IsWatching(string agentId) => _leaseEnds.ContainsKey(agentId);

    /// <summary>Tells every agent whose lease has passed, once; it watches again if the agent renews.</summary>
    public void Sweep()
    {
        var now = _clock.GetUtcNow();
        foreach (var (agentId, leaseEnd) in _leaseEnds)
        {
            if (leaseEnd <= now && _leaseEnds.TryRemove(new KeyValuePair<string, DateTimeOffset>(agentId, leaseEnd)))
            {
                _expire(agentId);
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private static TimeSpan PeriodFor(TimeSpan lease)
    {
        var quarter = lease / 4;
        return quarter < LongestPeriod && quarter > TimeSpan.Zero ? quarter : LongestPeriod;
    }
}
