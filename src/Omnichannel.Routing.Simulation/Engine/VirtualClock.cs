namespace Omnichannel.Routing.Simulation.Engine;

/// <summary>
/// The simulation's time: it stands still between events and jumps to the next one, so a day takes as long as its
/// decisions take to compute, never a sleep. A <see cref="TimeProvider"/>, like the engine's routing clock.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves time forward to <paramref name="at"/>; time never goes back.</summary>
    internal void AdvanceTo(DateTimeOffset at)
    {
        if (at > _now)
        {
            _now = at;
        }
    }
}
