using System.Collections.Concurrent;
using System.Diagnostics;

namespace Omnichannel.Routing.LoadTests;

/// <summary>
/// The longest time any queue went without an offer during the measured window: how long a silo failure can stall
/// a queue whose grain lived on it (detection, reactivation, recovery of its waiting line).
/// </summary>
internal sealed class QueueGaps
{
    private readonly ConcurrentDictionary<string, long> _lastOffer = new(StringComparer.Ordinal);
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly object _longestLock = new();
    private TimeSpan _longest;
    private string? _longestQueue;

    /// <summary>A queue made an offer now.</summary>
    public void Offered(string queueId)
    {
        var now = Stopwatch.GetTimestamp();
        var last = _lastOffer.GetValueOrDefault(queueId, _start);
        _lastOffer[queueId] = now;
        Consider(queueId, Stopwatch.GetElapsedTime(last, now));
    }

    /// <summary>The longest gap and its queue, counting each queue's silence up to now as a gap too.</summary>
    public (TimeSpan Gap, string? Queue) Longest()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (queue, last) in _lastOffer)
        {
            Consider(queue, Stopwatch.GetElapsedTime(last, now));
        }

        lock (_longestLock)
        {
            return (_longest, _longestQueue);
        }
    }

    private void Consider(string queueId, TimeSpan gap)
    {
        lock (_longestLock)
        {
            if (gap > _longest)
            {
                _longest = gap;
                _longestQueue = queueId;
            }
        }
    }
}
