using System.Collections.Concurrent;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// Which grains of this silo have their <see cref="DeadlineTimer"/> armed. An idle engine should have none armed
/// for its agents: a timer per agent is a wake-up per agent, which is what an idle host spends its CPU on. Counted
/// by grain type in the gauge <c>routing.timers.armed</c>.
/// </summary>
internal sealed class ArmedTimers
{
    private readonly ConcurrentDictionary<GrainId, byte> _armed = new();

    public void Armed(GrainId grain)
    {
        if (_armed.TryAdd(grain, 0))
        {
            RoutingMetrics.TimerArmed(grain.Type.ToString()!);
        }
    }

    public void Disarmed(GrainId grain)
    {
        if (_armed.TryRemove(grain, out _))
        {
            RoutingMetrics.TimerDisarmed(grain.Type.ToString()!);
        }
    }

    /// <summary>True while <paramref name="grain"/>'s deadline timer is armed.</summary>
    public bool IsArmed(GrainId grain) => _armed.ContainsKey(grain);
}
