using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// What a queue measures — arrivals, answers and abandons over the statistics window, its recent service rate, its
/// handle time, the interactions it has in hand — and the views built from them: statistics, wait estimates and
/// forecasts. Soft state: a new activation starts measuring afresh.
/// </summary>
internal sealed class QueueMeasurements
{
    private readonly Dictionary<string, InteractionState> _inHand = new(StringComparer.Ordinal);
    private readonly QueueStatistics _statistics;
    private readonly ServiceRate _serviceRate;
    private readonly HandleTimeAverage _handleTime = new();
    private readonly TimeSpan _assumedHandleTime;

    // Starts from the wall clock so a new activation's views outrank the previous one's.
    private long _viewSequence = DateTimeOffset.UtcNow.UtcTicks;

    /// <param name="statisticsWindow">The window of the published figures.</param>
    /// <param name="serviceRateWindow">The window of the service rate behind wait estimates.</param>
    /// <param name="serviceLevelThreshold">The wait within which an answer counts for the service level.</param>
    /// <param name="assumedHandleTime">The handle time assumed before any is measured.</param>
    public QueueMeasurements(TimeSpan statisticsWindow, TimeSpan serviceRateWindow, TimeSpan serviceLevelThreshold, TimeSpan assumedHandleTime)
    {
        _statistics = new QueueStatistics(statisticsWindow, serviceLevelThreshold);
        _serviceRate = new ServiceRate(serviceRateWindow);
        _assumedHandleTime = assumedHandleTime;
    }

    /// <summary>The measured handle time, or the assumed one before any completion.</summary>
    public TimeSpan AverageHandleTime => _handleTime.Mean ?? _assumedHandleTime;

    public void ChangeThreshold(TimeSpan serviceLevelThreshold) => _statistics.ChangeThreshold(serviceLevelThreshold);

    /// <summary>A new interaction arrived (not one returning after an offer).</summary>
    public void Arrived(DateTimeOffset at) => _statistics.Arrived(at);

    /// <summary>An interaction left the wait for an agent.</summary>
    public void Departed(DateTimeOffset at) => _serviceRate.RecordDeparture(at);

    /// <summary>Records an interaction's progress; returns how long it waited when this is its answer.</summary>
    public TimeSpan? Track(InteractionProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        TimeSpan? answeredAfter = null;
        switch (progress.State)
        {
            case InteractionState.Offered or InteractionState.Connected or InteractionState.WrapUp:
                if (progress.State == InteractionState.Connected && progress.Waited is { } waited)
                {
                    _statistics.Answered(waited, progress.At);
                    answeredAfter = waited;
                }

                _inHand[progress.InteractionId] = progress.State;
                break;

            default:
                _inHand.Remove(progress.InteractionId);
                if (progress.State == InteractionState.Abandoned && progress.Waited is { } abandonedAfter)
                {
                    _statistics.Abandoned(abandonedAfter, progress.At);
                }

                if (progress.HandleTime is { } handled)
                {
                    _handleTime.Record(handled);
                }

                break;
        }

        return answeredAfter;
    }

    /// <summary>The wait announced to an interaction at <paramref name="position"/> (contract §3.10).</summary>
    public TimeSpan? WaitAt(int position, AgentPool pool, DateTimeOffset now) =>
        WaitEstimate.For(position, _serviceRate.PerSecond(now), pool.ReadyCount, pool.Count, _assumedHandleTime);

    /// <summary>The queue's statistics now, numbered so watchers keep the latest.</summary>
    public QueueStatsView View(string queueId, QueueConfig? config, WaitingList waiting, AgentPool pool, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        ArgumentNullException.ThrowIfNull(pool);
        var figures = _statistics.Figures(now);
        var oldest = waiting.OldestFirst.FirstOrDefault();
        return new QueueStatsView(
            queueId,
            config is { Closed: false },
            waiting.Count,
            _inHand.Values.Count(s => s == InteractionState.Offered),
            _inHand.Values.Count(s => s == InteractionState.Connected),
            oldest is null ? TimeSpan.Zero : now - oldest.Arrival,
            figures.AverageWait,
            figures.ServiceLevelPercent,
            _statistics.Window,
            figures.Abandoned,
            pool.Count,
            pool.AvailableCount,
            WaitEstimate.For(waiting.Count + 1, _serviceRate.PerSecond(now), pool.ReadyCount, pool.Count, AverageHandleTime),
            figures.Answered,
            now,
            ++_viewSequence);
    }

    /// <summary>The queueing model's prediction of the queue before and after <paramref name="change"/>.</summary>
    public QueueImpactView Impact(string queueId, QueueChange change, QueueConfig? config, int waiting, AgentPool pool, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        var before = Load(config, waiting, pool, now);
        var after = change.Kind switch
        {
            QueueChangeKind.WaitingDelta => before with { Waiting = Math.Max(0, before.Waiting + change.WaitingDelta) },
            QueueChangeKind.AgentJoins => before with { Agents = before.Agents + 1 },
            QueueChangeKind.AgentLeaves => before with { Agents = Math.Max(0, before.Agents - 1) },
            QueueChangeKind.Close => before with { ArrivalsPerSecond = 0 },
            QueueChangeKind.Open => before with { ArrivalsPerSecond = Math.Max(before.ArrivalsPerSecond, _statistics.Figures(now).ArrivalsPerSecond) },
            _ => before,
        };
        var b = QueueModel.Forecast(before);
        var a = QueueModel.Forecast(after);
        return new QueueImpactView(
            queueId, before.Waiting, after.Waiting, b.EstimatedWait, a.EstimatedWait, b.ServiceLevelPercent, a.ServiceLevelPercent, before.Agents, after.Agents);
    }

    /// <summary>What the queueing model needs to know about this queue now.</summary>
    private QueueLoad Load(QueueConfig? config, int waiting, AgentPool pool, DateTimeOffset now)
    {
        var figures = _statistics.Figures(now);
        var channels = config?.Channels ?? [];
        var members = pool.Members.ToList();

        // Concurrency: how many interactions of this queue's channels a member takes at once, on average.
        var concurrency = members.Count == 0
            ? 1.0
            : members.Average(m => channels.Select(c => m.Profile.LimitOf(c)?.MaxConcurrent ?? 0).DefaultIfEmpty(1).Max());
        return new QueueLoad(
            config is { Closed: true } ? 0 : figures.ArrivalsPerSecond,
            AverageHandleTime,
            members.Count,
            Math.Max(1, concurrency),
            waiting,
            config?.ServiceLevel.Threshold ?? ServiceLevelConfig.Default.Threshold);
    }
}
