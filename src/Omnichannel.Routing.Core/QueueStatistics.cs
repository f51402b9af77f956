namespace Omnichannel.Routing.Core;

/// <summary>
/// A queue's figures over a sliding window (contract §5, Queue stats): arrivals, answers, abandons, average wait and
/// service level. Counted in time buckets like <see cref="ServiceRate"/>, so memory stays fixed however busy the
/// queue is, and the figures follow the last <see cref="Window"/> rather than the whole day.
/// </summary>
/// <remarks>
/// <para>
/// Service level = answered within the threshold ÷ (answered + abandoned after the threshold) × 100. Abandons
/// within the threshold ("short abandons") are left out of the denominator, as most contact centres count it: a
/// customer who hung up after a few seconds was never failed by the queue. "Within" includes the threshold
/// itself, matching a target of "answer X% within T seconds". With nothing counted, the level is 100: a queue
/// that has failed no one meets its target.
/// </para>
/// <para>
/// Each answer or abandon is classified against the threshold in force when it is recorded, so
/// <see cref="ChangeThreshold"/> applies to what is recorded from then on; figures already in the window keep the
/// classification they were recorded with, until they age out of it.
/// </para>
/// <para>
/// The window is (now − <see cref="Window"/>, now] rounded to whole buckets: the bucket that straddles the far
/// edge no longer counts. Events later than the instant asked about are not counted; events too old for the
/// buckets (a newer lap already reused their bucket) are dropped.
/// </para>
/// </remarks>
public sealed class QueueStatistics
{
    private readonly long _bucketTicks;
    private readonly Bucket[] _buckets;
    private long _thresholdTicks;

    public QueueStatistics(TimeSpan window, TimeSpan serviceLevelThreshold, int buckets = 60)
    {
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(serviceLevelThreshold, TimeSpan.Zero);
        Window = window;
        _bucketTicks = Math.Max(1, window.Ticks / buckets);

        // One slot more than the window spans: when the window is not a whole number of buckets it can touch
        // buckets + 1 of them, and none may be overwritten while it still counts.
        _buckets = new Bucket[buckets + 1];
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i].Start = long.MinValue;
        }

        _thresholdTicks = serviceLevelThreshold.Ticks;
    }

    public TimeSpan Window { get; }

    /// <summary>The threshold that answers and abandons recorded from now on are classified against.</summary>
    public TimeSpan ServiceLevelThreshold => TimeSpan.FromTicks(_thresholdTicks);

    /// <summary>An interaction left the queue to an agent at <paramref name="at"/>, after waiting <paramref name="waited"/>.</summary>
    public void Answered(TimeSpan waited, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(waited, TimeSpan.Zero);
        var slot = SlotFor(at);
        if (slot < 0)
        {
            return;
        }

        ref var bucket = ref _buckets[slot];
        bucket.Answered++;
        bucket.WaitTicks += waited.Ticks;
        if (waited.Ticks <= _thresholdTicks)
        {
            bucket.AnsweredWithinThreshold++;
        }
    }

    /// <summary>An interaction was cancelled at <paramref name="at"/> while waiting, after <paramref name="waited"/>.</summary>
    public void Abandoned(TimeSpan waited, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(waited, TimeSpan.Zero);
        var slot = SlotFor(at);
        if (slot < 0)
        {
            return;
        }

        ref var bucket = ref _buckets[slot];
        bucket.Abandoned++;
        if (waited.Ticks > _thresholdTicks)
        {
            bucket.AbandonedAfterThreshold++;
        }
    }

    /// <summary>A new interaction entered the queue at <paramref name="at"/>.</summary>
    public void Arrived(DateTimeOffset at)
    {
        var slot = SlotFor(at);
        if (slot >= 0)
        {
            _buckets[slot].Arrived++;
        }
    }

    /// <summary>
    /// Classifies answers and abandons recorded from now on against <paramref name="serviceLevelThreshold"/>;
    /// those already recorded keep the threshold they were recorded with.
    /// </summary>
    public void ChangeThreshold(TimeSpan serviceLevelThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(serviceLevelThreshold, TimeSpan.Zero);
        _thresholdTicks = serviceLevelThreshold.Ticks;
    }

    /// <summary>The figures over the window ending at <paramref name="now"/>.</summary>
    public QueueWindowFigures Figures(DateTimeOffset now)
    {
        var oldest = now.UtcTicks - Window.Ticks;
        var sum = default(Bucket);
        foreach (var bucket in _buckets)
        {
            if (bucket.Start > oldest && bucket.Start <= now.UtcTicks)
            {
                sum.Answered += bucket.Answered;
                sum.AnsweredWithinThreshold += bucket.AnsweredWithinThreshold;
                sum.Abandoned += bucket.Abandoned;
                sum.AbandonedAfterThreshold += bucket.AbandonedAfterThreshold;
                sum.Arrived += bucket.Arrived;
                sum.WaitTicks += bucket.WaitTicks;
            }
        }

        var counted = sum.Answered + sum.AbandonedAfterThreshold;
        var seconds = Window.TotalSeconds;
        return new QueueWindowFigures(
            sum.Answered,
            sum.AnsweredWithinThreshold,
            sum.Abandoned,
            sum.AbandonedAfterThreshold,
            sum.Arrived,
            sum.Answered > 0 ? TimeSpan.FromTicks(sum.WaitTicks / sum.Answered) : TimeSpan.Zero,
            counted > 0 ? 100.0 * sum.AnsweredWithinThreshold / counted : 100.0,
            sum.Arrived / seconds,
            sum.Answered / seconds);
    }

    /// <summary>The slot of the bucket holding <paramref name="at"/>, emptied first if it held an earlier lap; −1 when a later lap owns it.</summary>
    private int SlotFor(DateTimeOffset at)
    {
        var index = at.UtcTicks / _bucketTicks;
        var start = index * _bucketTicks;
        var slot = (int)(index % _buckets.Length);
        ref var bucket = ref _buckets[slot];
        if (bucket.Start > start)
        {
            // The event is older than anything the window can still show.
            return -1;
        }

        if (bucket.Start < start)
        {
            bucket = new Bucket { Start = start };
        }

        return slot;
    }

    private struct Bucket
    {
        public long Start;
        public long Answered;
        public long AnsweredWithinThreshold;
        public long Abandoned;
        public long AbandonedAfterThreshold;
        public long Arrived;
        public long WaitTicks;
    }
}

/// <summary>A queue's figures over its statistics window (see <see cref="QueueStatistics"/> for the definitions).</summary>
/// <param name="Answered">Interactions that left the queue to an agent.</param>
/// <param name="AnsweredWithinThreshold">Of those, the ones that waited no longer than the service-level threshold.</param>
/// <param name="Abandoned">Interactions cancelled while waiting.</param>
/// <param name="AbandonedAfterThreshold">Of those, the ones that waited longer than the threshold.</param>
/// <param name="Arrived">Interactions that entered the queue.</param>
/// <param name="AverageWait">Mean wait of the answered interactions; zero when none was answered.</param>
/// <param name="ServiceLevelPercent">Answered within threshold ÷ (answered + abandoned after threshold) × 100; 100 when nothing counted.</param>
/// <param name="ArrivalsPerSecond">Arrivals ÷ window length in seconds.</param>
/// <param name="AnsweredPerSecond">Answers ÷ window length in seconds.</param>
public sealed record QueueWindowFigures(
    long Answered,
    long AnsweredWithinThreshold,
    long Abandoned,
    long AbandonedAfterThreshold,
    long Arrived,
    TimeSpan AverageWait,
    double ServiceLevelPercent,
    double ArrivalsPerSecond,
    double AnsweredPerSecond);
