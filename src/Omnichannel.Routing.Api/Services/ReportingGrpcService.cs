using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Api.Security;
using Omnichannel.Routing.Core.Reporting;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Services;

/// <summary>
/// ReportingService: interval reports made by the reporting core from the event log (read by time range), and a real
/// day's arrivals for the simulator to replay.
/// </summary>
[Authorize(Policy = RoutingPolicies.Reporting)]
public sealed class ReportingGrpcService(IRoutingEventLog eventLog) : Proto.ReportingService.ReportingServiceBase
{
    /// <summary>The longest range one report covers.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    public const int MaxIntervals = 10_000;

    /// <summary>Most events one report reads; a report over more says it was truncated.</summary>
    public const int MaxEvents = 5_000_000;

    public override async Task<Proto.IntervalReport> GetIntervalReport(Proto.GetIntervalReportRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (from, to) = Range(request.From, request.To);
        if (request.Interval is null)
        {
            throw FieldRules.Invalid("interval", "is required");
        }

        var interval = FieldRules.Duration(request.Interval, "interval", MinInterval, MaxInterval);
        if ((to - from).Ticks / interval.Ticks >= MaxIntervals)
        {
            throw FieldRules.Invalid("interval", $"cuts the range into more than {MaxIntervals} intervals");
        }

        var threshold = request.ServiceLevelThreshold is null
            ? ReportWindow.DefaultServiceLevelThreshold
            : FieldRules.Duration(request.ServiceLevelThreshold, "service_level_threshold", TimeSpan.Zero, TimeSpan.FromHours(1));
        var queueId = FieldRules.OptionalId(request.QueueId, "queue_id");
        var channel = string.IsNullOrEmpty(request.Channel) ? null : FieldRules.Channel(request.Channel, "channel");

        var events = await eventLog.ReadRangeAsync(from, to, MaxEvents, context.CancellationToken);
        var report = IntervalReportBuilder.Build(EventLogTrace.From(events), new ReportWindow(from, to, interval, threshold));
        var response = new Proto.IntervalReport
        {
            From = Timestamp.FromDateTimeOffset(from),
            To = Timestamp.FromDateTimeOffset(to),
            Interval = Duration.FromTimeSpan(interval),
            ServiceLevelThreshold = Duration.FromTimeSpan(threshold),
            Durable = eventLog.IsDurable,
            EventsRead = events.Count,
            Truncated = events.Count >= MaxEvents,
        };
        response.Queues.AddRange(report.Queues.Where(r => (queueId is null || r.QueueId == queueId) && (channel is null || r.Channel == channel)).Select(ToProto));
        if (!request.WithoutAgents)
        {
            response.Agents.AddRange(report.Agents.Where(r => channel is null || r.Channel == channel || r.Channel == AgentIntervalRow.AllChannels).Select(ToProto));
        }

        response.LongestWaitByPriority.AddRange(report.LongestWaitByPriority.Select(p => new Proto.PriorityWait
        {
            Priority = p.Priority,
            Interactions = p.Interactions,
            LongestWait = Duration.FromTimeSpan(p.LongestWait),
            AverageWait = Duration.FromTimeSpan(p.AverageWait),
        }));
        return response;
    }

    public override async Task StreamArrivals(Proto.StreamArrivalsRequest request, IServerStreamWriter<Proto.Arrival> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var (from, to) = Range(request.From, request.To);
        var queueId = FieldRules.OptionalId(request.QueueId, "queue_id");
        var channel = string.IsNullOrEmpty(request.Channel) ? null : FieldRules.Channel(request.Channel, "channel");
        var events = await eventLog.ReadRangeAsync(from, to, MaxEvents, context.CancellationToken);
        foreach (var e in events.Where(e => e.Subject == RoutingEventSubject.Interaction && e.Type == RoutingEventType.Routed))
        {
            if ((queueId is null || e.QueueId == queueId) && (channel is null || e.Channel == channel))
            {
                await responseStream.WriteAsync(
                    new Proto.Arrival { Time = Timestamp.FromDateTimeOffset(e.Time), QueueId = e.QueueId ?? string.Empty, Channel = e.Channel ?? TraceLedger.UnknownChannel, InteractionId = e.SubjectId },
                    context.CancellationToken);
            }
        }
    }

    private static (DateTimeOffset From, DateTimeOffset To) Range(Timestamp? from, Timestamp? to)
    {
        var start = Instant(from, "from");
        var end = Instant(to, "to");
        if (end <= start)
        {
            throw FieldRules.Invalid("to", "must be after from");
        }

        if (end - start > MaxRange)
        {
            throw FieldRules.Invalid("to", $"is more than {MaxRange.TotalDays:0} days after from");
        }

        return (start, end);
    }

    private static DateTimeOffset Instant(Timestamp? value, string field)
    {
        if (value is null)
        {
            throw FieldRules.Invalid(field, "is required");
        }

        // Timestamp's own range: years 1 to 9999, nanos 0..999,999,999.
        if (value.Seconds < -62_135_596_800L || value.Seconds > 253_402_300_799L || value.Nanos is < 0 or > 999_999_999)
        {
            throw FieldRules.Invalid(field, "is not a valid timestamp");
        }

        return value.ToDateTimeOffset();
    }

    internal static Proto.QueueIntervalRow ToProto(QueueIntervalRow r)
    {
        var row = new Proto.QueueIntervalRow
        {
            QueueId = r.QueueId,
            Channel = r.Channel,
            IntervalStart = Timestamp.FromDateTimeOffset(r.IntervalStart),
            IntervalEnd = Timestamp.FromDateTimeOffset(r.IntervalEnd),
            Offered = r.Offered,
            Answered = r.Answered,
            Abandoned = r.Abandoned,
            AnsweredWithinThreshold = r.AnsweredWithinThreshold,
            AbandonedWithinThreshold = r.AbandonedWithinThreshold,
            Transferred = r.Transferred,
            Overflowed = r.Overflowed,
            StillWaiting = r.StillWaiting,
            AverageSpeedOfAnswer = Duration.FromTimeSpan(r.AverageSpeedOfAnswer),
            SpeedOfAnswerP90 = Duration.FromTimeSpan(r.SpeedOfAnswerP90),
            AverageWait = Duration.FromTimeSpan(r.AverageWait),
            WaitP95 = Duration.FromTimeSpan(r.WaitP95),
            WaitP99 = Duration.FromTimeSpan(r.WaitP99),
            LongestWait = Duration.FromTimeSpan(r.LongestWait),
            AverageHandleTime = Duration.FromTimeSpan(r.AverageHandleTime),
            AverageWrapUpTime = Duration.FromTimeSpan(r.AverageWrapUpTime),
        };
        if (r.ServiceLevelPercent is { } sl)
        {
            row.ServiceLevelPercent = Math.Round(sl, 2);
        }

        if (r.AbandonRatePercent is { } abandoned)
        {
            row.AbandonRatePercent = Math.Round(abandoned, 2);
        }

        return row;
    }

    private static Proto.AgentIntervalRow ToProto(AgentIntervalRow r) => new()
    {
        AgentId = r.AgentId,
        Channel = r.Channel,
        IntervalStart = Timestamp.FromDateTimeOffset(r.IntervalStart),
        IntervalEnd = Timestamp.FromDateTimeOffset(r.IntervalEnd),
        SignedInTime = Duration.FromTimeSpan(r.SignedInTime),
        BusyTime = Duration.FromTimeSpan(r.BusyTime),
        OccupancyPercent = Math.Round(r.OccupancyPercent, 2),
        Handled = r.Handled,
    };
}
