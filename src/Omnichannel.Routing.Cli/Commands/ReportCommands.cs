using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.Core.Reporting;
using Omnichannel.Routing.V1;
using CoreRow = Omnichannel.Routing.Core.Reporting.QueueIntervalRow;
using CoreAgentRow = Omnichannel.Routing.Core.Reporting.AgentIntervalRow;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary>
/// <c>report</c>: the interval report of a time range from ReportingService, as tables or as the CSV the simulator
/// writes too; <c>--arrivals FILE</c> also saves the range's arrivals for a scenario to replay.
/// </summary>
internal sealed class ReportCommands(GlobalOptions global) : ICommandGroup
{
    private static readonly TableLayout QueueTable = new(
    [
        new("INTERVAL"), new("QUEUE"), new("CHANNEL"),
        new("OFFERED", AlignRight: true), new("ANSWERED", AlignRight: true), new("ABANDONED", AlignRight: true),
        new("SL", AlignRight: true), new("ASA", AlignRight: true), new("ASA P90", AlignRight: true), new("AHT", AlignRight: true),
        new("WRAP", AlignRight: true), new("XFER", AlignRight: true), new("OVERFLOW", AlignRight: true),
    ]);

    private static readonly TableLayout AgentTable = new(
    [
        new("INTERVAL"), new("AGENT"), new("CHANNEL"), new("SIGNED IN", AlignRight: true), new("BUSY", AlignRight: true),
        new("OCCUPANCY", AlignRight: true), new("HANDLED", AlignRight: true),
    ]);

    private readonly Option<DateTimeOffset?> _from = new("--from") { Description = "start, ISO 8601 (default: 24 hours before --to)", CustomParser = ParseTime };

    private readonly Option<DateTimeOffset?> _to = new("--to") { Description = "end, ISO 8601 (default: now)", CustomParser = ParseTime };

    private readonly Option<TimeSpan> _interval = new("--interval")
    {
        Description = $"interval length, 1m to 1d ({DurationText.Examples}; default 15m)",
        DefaultValueFactory = _ => TimeSpan.FromMinutes(15),
        CustomParser = result => DurationText.Parse(result),
    };

    private readonly Option<TimeSpan?> _threshold = new("--service-level")
    {
        Description = "the T of \"answered within T\" (default 20s)",
        CustomParser = result => DurationText.Parse(result),
    };

    private readonly Option<string> _queue = new("--queue") { Description = "only this queue" };

    private readonly Option<string> _channel = new("--channel") { Description = "only this channel" };

    private readonly Option<bool> _csv = new("--csv") { Description = "CSV (the simulator's columns): the queue rows, a blank line, the agent rows" };

    private readonly Option<bool> _noAgents = new("--no-agents") { Description = "leave out the agent rows" };

    private readonly Option<FileInfo> _arrivals = new("--arrivals") { Description = "also write the range's arrivals (time,queue,channel) to this CSV, for a scenario's replay" };

    public IEnumerable<Command> Commands()
    {
        yield return new Command("report", "interval report from the event log: per queue, channel and interval, and agent occupancy")
        {
            _from, _to, _interval, _threshold, _queue, _channel, _csv, _noAgents, _arrivals,
        }.RunsOnEngine(global, ReportAsync);
    }

    private async Task<int> ReportAsync(CommandContext context)
    {
        var to = context.Value(_to) ?? DateTimeOffset.UtcNow;
        var from = context.Value(_from) ?? to.AddDays(-1);
        var client = new ReportingService.ReportingServiceClient(context.Invoker);
        var request = new GetIntervalReportRequest
        {
            From = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(from),
            To = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(to),
            Interval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(context.Value(_interval)),
            QueueId = context.Value(_queue) ?? string.Empty,
            Channel = context.Value(_channel) ?? string.Empty,
            WithoutAgents = context.Flag(_noAgents),
        };
        if (context.Value(_threshold) is { } threshold)
        {
            request.ServiceLevelThreshold = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(threshold);
        }

        var report = await client.GetIntervalReportAsync(request, context.Unary);
        if (context.Value(_arrivals) is { } file)
        {
            await WriteArrivalsAsync(client, new StreamArrivalsRequest { From = request.From, To = request.To, QueueId = request.QueueId, Channel = request.Channel }, file, context);
        }

        if (context.Output.Json)
        {
            context.Output.Item(report, r => r.ToString());
        }
        else if (context.Flag(_csv))
        {
            using var text = new StringWriter(CultureInfo.InvariantCulture);
            IntervalReportCsv.WriteQueues(report.Queues.Select(ToCore), text);
            if (!request.WithoutAgents)
            {
                text.WriteLine();
                IntervalReportCsv.WriteAgents(report.Agents.Select(ToCore), text);
            }

            context.Output.Note(text.ToString().TrimEnd('\n'));
        }
        else
        {
            var source = report.Durable ? "durable event log" : "embedded engine's recent events";
            context.Output.Note($"{from:u} to {to:u}, {report.Interval.ToTimeSpan().TotalMinutes:0.##}-minute intervals, {report.EventsRead} events from the {source}" + (report.Truncated ? " (truncated)" : string.Empty));
            context.Output.Note(QueueTable.Build(report.Queues.Select(QueueCells), "(no interaction entered a queue in this range)"));
            if (!request.WithoutAgents)
            {
                context.Output.Note(AgentTable.Build(report.Agents.Where(a => a.Channel == CoreAgentRow.AllChannels).Select(AgentCells), "(no agent time in this range)"));
            }
        }

        return 0;
    }

    /// <summary>Streams the range's arrivals into <paramref name="file"/> as <c>time,queue,channel</c> (what a scenario replays); answers how many.</summary>
    internal static async Task<int> WriteArrivalsAsync(ReportingService.ReportingServiceClient client, StreamArrivalsRequest request, FileInfo file, CommandContext context)
    {
        using var call = client.StreamArrivals(request, context.Streaming);
        await using var writer = new StreamWriter(file.FullName);
        await writer.WriteLineAsync("time,queue,channel");
        var count = 0;
        while (await call.ResponseStream.MoveNext(context.Cancellation))
        {
            var a = call.ResponseStream.Current;
            await writer.WriteLineAsync($"{IntervalReportCsv.Time(a.Time.ToDateTimeOffset())},{a.QueueId},{a.Channel}");
            count++;
        }

        context.Output.Note($"wrote {count} arrivals to {file.FullName}");
        return count;
    }

    private static IReadOnlyList<string> QueueCells(V1.QueueIntervalRow r) =>
    [
        $"{r.IntervalStart.ToDateTimeOffset():yyyy-MM-dd HH:mm}", r.QueueId, r.Channel,
        Number(r.Offered), Number(r.Answered), Number(r.Abandoned),
        r.HasServiceLevelPercent ? StatsFormat.Percent(r.ServiceLevelPercent) : "-",
        Seconds(r.AverageSpeedOfAnswer), Seconds(r.SpeedOfAnswerP90), Seconds(r.AverageHandleTime), Seconds(r.AverageWrapUpTime),
        Number(r.Transferred), Number(r.Overflowed),
    ];

    private static IReadOnlyList<string> AgentCells(V1.AgentIntervalRow r) =>
    [
        $"{r.IntervalStart.ToDateTimeOffset():yyyy-MM-dd HH:mm}", r.AgentId, r.Channel,
        Seconds(r.SignedInTime), Seconds(r.BusyTime), StatsFormat.Percent(r.OccupancyPercent), Number(r.Handled),
    ];

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(Google.Protobuf.WellKnownTypes.Duration? d) => (d?.ToTimeSpan() ?? TimeSpan.Zero).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";

    /// <summary>A report row in the reporting core's form, so the CSV is written by the one writer the simulator uses.</summary>
    internal static CoreRow ToCore(V1.QueueIntervalRow r) => new()
    {
        QueueId = r.QueueId,
        Channel = r.Channel,
        IntervalStart = r.IntervalStart.ToDateTimeOffset(),
        IntervalEnd = r.IntervalEnd.ToDateTimeOffset(),
        Offered = r.Offered,
        Answered = r.Answered,
        Abandoned = r.Abandoned,
        AnsweredWithinThreshold = r.AnsweredWithinThreshold,
        AbandonedWithinThreshold = r.AbandonedWithinThreshold,
        Transferred = r.Transferred,
        Overflowed = r.Overflowed,
        StillWaiting = r.StillWaiting,
        ServiceLevelPercent = r.HasServiceLevelPercent ? r.ServiceLevelPercent : null,
        AbandonRatePercent = r.HasAbandonRatePercent ? r.AbandonRatePercent : null,
        AverageSpeedOfAnswer = r.AverageSpeedOfAnswer.ToTimeSpan(),
        SpeedOfAnswerP90 = r.SpeedOfAnswerP90.ToTimeSpan(),
        AverageWait = r.AverageWait.ToTimeSpan(),
        WaitP95 = r.WaitP95.ToTimeSpan(),
        WaitP99 = r.WaitP99.ToTimeSpan(),
        LongestWait = r.LongestWait.ToTimeSpan(),
        AverageHandleTime = r.AverageHandleTime.ToTimeSpan(),
        AverageWrapUpTime = r.AverageWrapUpTime.ToTimeSpan(),
    };

    internal static CoreAgentRow ToCore(V1.AgentIntervalRow r) => new()
    {
        AgentId = r.AgentId,
        Channel = r.Channel,
        IntervalStart = r.IntervalStart.ToDateTimeOffset(),
        IntervalEnd = r.IntervalEnd.ToDateTimeOffset(),
        SignedInTime = r.SignedInTime.ToTimeSpan(),
        BusyTime = r.BusyTime.ToTimeSpan(),
        OccupancyPercent = r.OccupancyPercent,
        Handled = r.Handled,
    };

    /// <summary>An ISO 8601 time option (UTC when no offset is given).</summary>
    internal static DateTimeOffset? ParseTime(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        result.AddError($"{ArgumentParsers.NameOf(result)}: '{text}' is not a time; e.g. 2026-11-30T08:00:00Z");
        return null;
    }
}
