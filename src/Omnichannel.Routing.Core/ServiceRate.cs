namespace Omnichannel.Routing.Core;

/// <summary>
/// A queue's recent service rate: interactions that left the wait for an agent, counted in time buckets over a
/// sliding window, so the estimate follows the current staffing rather than the whole day.
/// </summary>
public sealed class ServiceRate
{
    private readonly long _bucketTicks;
    private readonly long[] _bucketStart;
    private readonly int[] _count;

    public ServiceRate(TimeSpan window, int buckets = 30)
    {
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 2);
        Window = window;
        _bucketTicks = Math.Max(1, window.Ticks / buckets);
        _bucketStart = new long[buckets];
        _count = new int[buckets];
    }

    public TimeSpan Window { get; }

    public void RecordDeparture(DateTimeOffset at)
    {
        var slot = Slot(at, out var start);
        if (_bucketStart[slot] != start)
        {
            _bucketStart[slot] = start;
            _count[slot] = 0;
        }

        _count[slot]++;
    }

    /// <summary>Departures per second over the window ending at <paramref name="now"/>; 0 when there were none.</summary>
    public double PerSecond(DateTimeOffset now)
    {
        var oldest = now.UtcTicks - Window.Ticks;
        var total = 0;
        for (var i = 0; i < _count.Length; i++)
        {
            if (_bucketStart[i] > oldest && _bucketStart[i] <= now.UtcTicks)
            {
                total += _count[i];
            }
        }

        return total / Window.TotalSeconds;
    }

    private int Slot(DateTimeOffset at, out long start)
    {
        var index = at.UtcTicks / _bucketTicks;
        start = index * _bucketTicks;
        return (int)(index % _count.Length);
    }
}

/// <summary>The estimated wait announced to front-ends (contract §3.10).</summary>
public static class WaitEstimate
{
    /// <summary>
    /// Position ÷ recent service rate. Null when the queue has served nothing in the window and no agent is ready:
    /// there is no honest figure to announce yet.
    /// </summary>
    public static TimeSpan? For(int position, double servedPerSecond, int readyAgents)
    {
        if (position <= 0)
        {
            return TimeSpan.Zero;
        }

        if (servedPerSecond > 0)
        {
            return TimeSpan.FromSeconds(Math.Round(position / servedPerSecond, 1));
        }

        return readyAgents > 0 ? TimeSpan.Zero : null;
    }

    /// <summary>
    /// As <see cref="For(int, double, int)"/>, but before the queue has served anything in the window, and with
    /// more waiting than ready agents, it assumes each signed-in agent finishes one interaction per
    /// <paramref name="assumedHandleTime"/>. Null only when no agent is signed in at all.
    /// </summary>
    public static TimeSpan? For(int position, double servedPerSecond, int readyAgents, int signedInAgents, TimeSpan assumedHandleTime)
    {
        if (position <= 0 || servedPerSecond > 0)
        {
            return For(position, servedPerSecond, readyAgents);
        }

        if (readyAgents >= position)
        {
            return TimeSpan.Zero;
        }

        if (signedInAgents <= 0)
        {
            return null;
        }

        var waves = Math.Ceiling((double)(position - readyAgents) / signedInAgents);
        return TimeSpan.FromSeconds(Math.Round(waves * assumedHandleTime.TotalSeconds, 1));
    }
}
