using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// The engine's metrics (meter "Omnichannel.Routing"), exported by the host (Prometheus). Counters and histograms are
/// recorded where things happen; queue depth and agent states are observed from what this silo's grains last
/// reported, so a scrape never calls a grain.
/// </summary>
public static class RoutingMetrics
{
    public const string MeterName = "Omnichannel.Routing";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<string, int> QueueDepths = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, AgentActivity> AgentActivities = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> ArmedTimers = new(StringComparer.Ordinal);

    private static readonly Counter<long> Routed = Meter.CreateCounter<long>("routing.interactions.routed", description: "Interactions accepted into a queue");
    private static readonly Counter<long> Offers = Meter.CreateCounter<long>("routing.offers", description: "Offers made to agents");
    private static readonly Counter<long> Accepts = Meter.CreateCounter<long>("routing.offers.accepted", description: "Offers accepted");
    private static readonly Counter<long> Rejects = Meter.CreateCounter<long>("routing.offers.rejected", description: "Offers rejected");
    private static readonly Counter<long> Timeouts = Meter.CreateCounter<long>("routing.offers.timed_out", description: "Offers that timed out");
    private static readonly Counter<long> Abandons = Meter.CreateCounter<long>("routing.interactions.abandoned", description: "Interactions cancelled while queued or offered");
    private static readonly Histogram<double> Waits = Meter.CreateHistogram<double>("routing.wait", "s", "Time from arrival to answer");
    private static readonly Histogram<double> Decisions = Meter.CreateHistogram<double>("routing.decision.duration", "ms", "Time one routing decision takes in the queue (agent or interaction selection)");

    static RoutingMetrics()
    {
        Meter.CreateObservableGauge("routing.queue.depth", () => QueueDepths
            .GroupBy(q => QueueShardKey.QueueIdOf(q.Key), StringComparer.Ordinal)
            .Select(q => new Measurement<int>(q.Sum(s => s.Value), new KeyValuePair<string, object?>("queue", q.Key))), description: "Interactions waiting, per queue (its shards summed)");
        Meter.CreateObservableGauge("routing.agents", () => AgentActivities.Values
            .GroupBy(a => a)
            .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("activity", g.Key.ToString()))), description: "Agents by activity");
        Meter.CreateObservableGauge("routing.timers.armed", () => ArmedTimers.Select(t => new Measurement<int>(t.Value, new KeyValuePair<string, object?>("grain", t.Key))), description: "Grains with a deadline timer armed, by grain type");
    }

    public static void InteractionRouted(string queueId, string channel) => Routed.Add(1, Tags(queueId, channel));

    public static void OfferMade(string queueId, string channel) => Offers.Add(1, Tags(queueId, channel));

    public static void OfferAccepted(string queueId, string channel) => Accepts.Add(1, Tags(queueId, channel));

    public static void OfferRejected(string queueId, string channel) => Rejects.Add(1, Tags(queueId, channel));

    public static void OfferTimedOut(string queueId, string channel) => Timeouts.Add(1, Tags(queueId, channel));

    public static void InteractionAbandoned(string queueId, string channel) => Abandons.Add(1, Tags(queueId, channel));

    public static void Answered(string queueId, TimeSpan waited) => Waits.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("queue", queueId));

    /// <summary>Records the time since <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) as one decision.</summary>
    public static void Decided(string queueId, long startTimestamp) =>
        Decisions.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, new KeyValuePair<string, object?>("queue", queueId));

    /// <summary>The depth of one queue grain (a queue, or one shard of it, by grain key).</summary>
    public static void QueueDepth(string queueGrainKey, int waiting) => QueueDepths[queueGrainKey] = waiting;

    public static void QueueGone(string queueGrainKey) => QueueDepths.TryRemove(queueGrainKey, out _);

    public static void AgentActivityIs(string agentId, AgentActivity activity) => AgentActivities[agentId] = activity;

    public static void AgentGone(string agentId) => AgentActivities.TryRemove(agentId, out _);

    public static void TimerArmed(string grainType) => ArmedTimers.AddOrUpdate(grainType, 1, (_, n) => n + 1);

    public static void TimerDisarmed(string grainType) => ArmedTimers.AddOrUpdate(grainType, 0, (_, n) => n - 1);

    private static TagList Tags(string queueId, string channel) => new() { { "queue", queueId }, { "channel", channel } };
}
