using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Omnichannel.Routing.Api.Services;
using Omnichannel.Routing.Api.Tests.Support;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests.Services;

[Collection(SharedApiHost.Name)]
public sealed class ReportingGrpcServiceTests(ApiHost host)
{
    private readonly ApiScenario _s = new(host);
    private readonly ReportingGrpcService _reporting = host.Service<ReportingGrpcService>();

    private static GetIntervalReportRequest Request(DateTimeOffset from, DateTimeOffset to, TimeSpan interval) => new()
    {
        From = Timestamp.FromDateTimeOffset(from),
        To = Timestamp.FromDateTimeOffset(to),
        Interval = Duration.FromTimeSpan(interval),
    };

    [Fact]
    public async Task A_report_of_a_scripted_run_counts_what_the_script_did()
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var queueId = await _s.QueueAsync("reported");
        var emptyQueueId = await _s.QueueAsync("reported-unstaffed");
        var agentId = await _s.AgentAsync("reporter", queueId);
        await using var desk = await AgentDesk.OpenAsync(_s, agentId);

        // Two chats answered by the agent, one finished (no wrap-up is configured, so it ends at once); one chat abandoned
        // in a queue nobody staffs.
        var first = await _s.RouteAsync(queueId);
        await desk.NextOfferAsync(first.InteractionId);
        await host.CallAsync(_s.Agents.AcceptOffer, new AcceptOfferRequest { AgentId = agentId, InteractionId = first.InteractionId });
        await host.CallAsync(_s.Agents.CompleteInteraction, new CompleteInteractionRequest { AgentId = agentId, InteractionId = first.InteractionId });
        var second = await _s.RouteAsync(queueId);
        await desk.NextOfferAsync(second.InteractionId);
        await host.CallAsync(_s.Agents.AcceptOffer, new AcceptOfferRequest { AgentId = agentId, InteractionId = second.InteractionId });
        var abandoned = await _s.RouteAsync(emptyQueueId);
        await host.CallAsync(_s.Routing.CancelInteraction, new CancelInteractionRequest { InteractionId = abandoned.InteractionId, Reason = "hung up" });

        // The log takes the events after the state is stored: wait until the last one is there.
        var request = Request(from, DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromDays(1));
        var report = await ReportWhenAsync(request, r => r.Queues.Any(q => q.QueueId == emptyQueueId && q.Abandoned == 1) && r.Queues.Any(q => q.QueueId == queueId && q.Answered == 2 && q.AverageHandleTime.ToTimeSpan() > TimeSpan.Zero));

        var staffed = Assert.Single(report.Queues, q => q.QueueId == queueId);
        Assert.Equal("chat", staffed.Channel);
        Assert.Equal(2, staffed.Offered);
        Assert.Equal(2, staffed.Answered);
        Assert.Equal(0, staffed.Abandoned);
        Assert.Equal(100.0, staffed.ServiceLevelPercent);
        var unstaffed = Assert.Single(report.Queues, q => q.QueueId == emptyQueueId);
        Assert.Equal(1, unstaffed.Offered);
        Assert.Equal(0, unstaffed.Answered);
        Assert.Equal(100.0, unstaffed.AbandonRatePercent);
        var agent = Assert.Single(report.Agents, a => a.AgentId == agentId && a.Channel == "*");
        Assert.Equal(1, agent.Handled);
        Assert.True(agent.OccupancyPercent > 0);
        Assert.False(report.Durable);

        var arrivals = new TestServerStreamWriter<Arrival>();
        await host.WatchAsync(_reporting.StreamArrivals, new StreamArrivalsRequest { From = request.From, To = request.To, QueueId = queueId }, arrivals, CancellationToken.None);
        var firstArrival = await arrivals.NextAsync();
        var secondArrival = await arrivals.NextAsync();
        Assert.Equal([first.InteractionId, second.InteractionId], [firstArrival.InteractionId, secondArrival.InteractionId]);
        Assert.Equal(queueId, firstArrival.QueueId);
        Assert.Equal("chat", firstArrival.Channel);
    }

    [Fact]
    public async Task A_real_report_gives_the_longest_wait_per_priority_the_interactions_were_routed_with()
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var queueId = await _s.QueueAsync("prioritised-unstaffed");

        // Priorities no other test routes with, so the shared host's other interactions cannot fill these rows.
        var low = await _s.RouteAsync(queueId, r => r.Priority = 917);
        var high = await _s.RouteAsync(queueId, r => r.Priority = 983);
        await host.CallAsync(_s.Routing.CancelInteraction, new CancelInteractionRequest { InteractionId = low.InteractionId, Reason = "hung up" });
        await host.CallAsync(_s.Routing.CancelInteraction, new CancelInteractionRequest { InteractionId = high.InteractionId, Reason = "hung up" });

        var request = Request(from, DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromDays(1));
        var report = await ReportWhenAsync(request, r => r.Queues.Any(q => q.QueueId == queueId && q.Abandoned == 2));

        var lowRow = Assert.Single(report.LongestWaitByPriority, p => p.Priority == 917);
        var highRow = Assert.Single(report.LongestWaitByPriority, p => p.Priority == 983);
        Assert.Equal(1, lowRow.Interactions);
        Assert.Equal(1, highRow.Interactions);
        Assert.True(lowRow.LongestWait.ToTimeSpan() > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_bad_range_or_interval_is_invalid_naming_the_field()
    {
        var now = DateTimeOffset.UtcNow;
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "from", () => host.CallAsync(_reporting.GetIntervalReport, new GetIntervalReportRequest { To = Timestamp.FromDateTimeOffset(now), Interval = Duration.FromTimeSpan(TimeSpan.FromMinutes(15)) }));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "to", () => host.CallAsync(_reporting.GetIntervalReport, Request(now, now, TimeSpan.FromMinutes(15))));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "to", () => host.CallAsync(_reporting.GetIntervalReport, Request(now, now.AddDays(32), TimeSpan.FromDays(1))));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "interval", () => host.CallAsync(_reporting.GetIntervalReport, Request(now, now.AddHours(1), TimeSpan.FromSeconds(10))));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "interval", () => host.CallAsync(_reporting.GetIntervalReport, Request(now, now.AddDays(30), TimeSpan.FromMinutes(1))));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "interval", () => host.CallAsync(_reporting.GetIntervalReport, new GetIntervalReportRequest { From = Timestamp.FromDateTimeOffset(now), To = Timestamp.FromDateTimeOffset(now.AddHours(1)) }));
        var badThreshold = Request(now, now.AddHours(1), TimeSpan.FromMinutes(15));
        badThreshold.ServiceLevelThreshold = Duration.FromTimeSpan(TimeSpan.FromHours(2));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "service_level_threshold", () => host.CallAsync(_reporting.GetIntervalReport, badThreshold));
        var badQueue = Request(now, now.AddHours(1), TimeSpan.FromMinutes(15));
        badQueue.QueueId = "not a queue";
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "queue_id", () => host.CallAsync(_reporting.GetIntervalReport, badQueue));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "to", () => host.WatchAsync(_reporting.StreamArrivals, new StreamArrivalsRequest { From = Timestamp.FromDateTimeOffset(now) }, new TestServerStreamWriter<Arrival>(), CancellationToken.None));
    }

    private async Task<IntervalReport> ReportWhenAsync(GetIntervalReportRequest request, Func<IntervalReport, bool> ready)
    {
        using var timeout = new CancellationTokenSource(ApiHost.Wait);
        while (true)
        {
            var report = await host.CallAsync(_reporting.GetIntervalReport, request);
            if (ready(report) || timeout.IsCancellationRequested)
            {
                return report;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }
}
