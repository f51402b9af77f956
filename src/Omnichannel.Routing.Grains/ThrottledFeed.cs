namespace Omnichannel.Routing.Grains;

/// <summary>
/// A live feed that publishes at most once per interval, latest value last: a change inside the interval is
/// published at its end with the figures of that moment, so watchers always end up current and a busy grain does
/// not flood its stream. Agents (occupancy) and queues (statistics) each own one.
/// </summary>
/// <remarks>
/// It measures real time, not the routing clock: the throttle protects the feed whatever time the engine is told it
/// is. The grain supplies the flush scheduler (a grain timer), so this class is plain and unit-tested alone.
/// </remarks>
internal sealed class ThrottledFeed
{
    private readonly long _intervalMilliseconds;
    private readonly Func<long> _milliseconds;
    private readonly Action _publish;
    private readonly Action<TimeSpan> _scheduleFlush;
    private long _lastPublished = long.MinValue / 2;

    /// <param name="interval">The shortest time between two publishes.</param>
    /// <param name="publish">Reads the latest value and sends it.</param>
    /// <param name="scheduleFlush">Asks for <see cref="Flush"/> to be called after the given delay.</param>
    /// <param name="milliseconds">A monotonic clock in milliseconds; <see cref="Environment.TickCount64"/> by default.</param>
    public ThrottledFeed(TimeSpan interval, Action publish, Action<TimeSpan> scheduleFlush, Func<long>? milliseconds = null)
    {
        _intervalMilliseconds = (long)interval.TotalMilliseconds;
        _publish = publish;
        _scheduleFlush = scheduleFlush;
        _milliseconds = milliseconds ?? (() => Environment.TickCount64);
    }

    /// <summary>True while a change waits for the end of the interval.</summary>
    public bool Pending { get; private set; }

    /// <summary>Says the value changed: publishes now, or once at the end of the current interval.</summary>
    public void Changed()
    {
        var now = _milliseconds();
        var elapsed = now - _lastPublished;
        if (elapsed >= _intervalMilliseconds)
        {
            PublishNow(now);
            return;
        }

        if (!Pending)
        {
            Pending = true;
            _scheduleFlush(TimeSpan.FromMilliseconds(_intervalMilliseconds - elapsed));
        }
    }

    /// <summary>Publishes a pending change; called by the grain's timer when the interval has passed.</summary>
    public void Flush()
    {
        if (Pending)
        {
            PublishNow(_milliseconds());
        }
    }

    private void PublishNow(long now)
    {
        _lastPublished = now;
        Pending = false;
        _publish();
    }
}
