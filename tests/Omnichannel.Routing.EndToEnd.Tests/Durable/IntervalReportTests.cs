using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Durable;

/// <summary>
/// A scripted day on a durable host: GetIntervalReport, read back from PostgreSQL, counts exactly what the script did.
/// </summary>
/// <remarks>
/// Which answers fall within the service-level threshold is decided by construction, not by timing: every
/// interaction held back in <c>support</c> (whose agent signs in last) is routed before the answered-at-once work in
/// <c>sales</c> and answered or abandoned after it, so each held-back wait contains whole answered-at-once waits. The
/// report's threshold is then set between the two groups, from the times the engine recorded. The transfer goes to
/// an agent, so the transferred chat's one wait is in sales.
/// </remarks>
public sealed class IntervalReportTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task An_interval_report_of_a_scripted_durable_run_matches_the_counts_the_script_produced()
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using var engine = await HostProcess.StartAsync("--ConnectionStrings:Routing=" + (await postgres.Server.CreateDatabaseAsync()).ConnectionString);
        var c = new EngineClient(engine.Channel);
        var reporting = new ReportingService.ReportingServiceClient(engine.Channel);
        // A long wrap-up that the desks end themselves, so no timer races the script.
        var wrapUp = Duration.FromTimeSpan(TimeSpan.FromMinutes(5));
        var sales = await c.QueueAsync("sales", q => q.WrapUp = wrapUp);
        var support = await c.QueueAsync("support", q => q.WrapUp = wrapUp);
        var front = await c.QueueAsync("front", q => q.Overflow = new Overflow { TargetQueueId = support });
        await c.Supervisor.SetQueueOpenAsync(new SetQueueOpenRequest { QueueId = front, Open = false });
        var ana = await c.AgentAsync("ana", [sales]);
        var ben = await c.AgentAsync("ben", [support]);
        var cleo = await c.AgentAsync("cleo", []);
        await using var anaDesk = await c.SignInAsync(ana);
        await using var cleoDesk = await c.SignInAsync(cleo);

        // Held back in support: a call, a chat, an email its customer gives up on, and a chat that overflows from the closed front queue.
        var call = await c.RouteAsync(support, "voice");
        var chat = await c.RouteAsync(support, "chat");
        var email = await c.RouteAsync(support, "email");
        var overflowed = await c.RouteAsync(front, "chat");
        Assert.Equal(support, overflowed.QueueId);

        // A chat answered at once in sales, then transferred to cleo, who is in no queue: it enters no other queue.
        var transferred = await c.RouteAsync(sales, "chat");
        await AnswerAsync(anaDesk, transferred.InteractionId, finish: false);
        await c.Routing.TransferInteractionAsync(new TransferInteractionRequest { InteractionId = transferred.InteractionId, AgentId = cleo, RequestedByAgentId = ana });
        await AnswerAsync(cleoDesk, transferred.InteractionId, finish: true);

        // Answered at once in sales, on two more channels.
        var salesCall = await c.RouteAsync(sales, "voice");
        await AnswerAsync(anaDesk, salesCall.InteractionId, finish: true);
        var salesEmail = await c.RouteAsync(sales, "email");
        await AnswerAsync(anaDesk, salesEmail.InteractionId, finish: true);

        // Only now the held-back work ends: the email is abandoned, ben signs in and answers the rest one by one.
        await c.Routing.CancelInteractionAsync(new CancelInteractionRequest { InteractionId = email.InteractionId, Reason = "gave up" });
        await using var benDesk = await c.SignInAsync(ben);
        var heldBack = new HashSet<string> { call.InteractionId, chat.InteractionId, overflowed.InteractionId };
        for (var left = heldBack.Count; left > 0; left--)
        {
            var offer = await benDesk.NextOfferAsync();
            Assert.Contains(offer.InteractionId, heldBack);
            await AnswerAsync(benDesk, offer.InteractionId, finish: true, offered: true);
        }

        // The threshold between the longest wait answered at once and the shortest wait held back, as the engine recorded them.
        var atOnce = new[]
        {
            Wait(await c.GetAsync(salesCall.InteractionId), "routed", "accepted"),
            Wait(await c.GetAsync(salesEmail.InteractionId), "routed", "accepted"),
            Wait(await c.GetAsync(transferred.InteractionId), "routed", "accepted"),
        };
        var held = new[]
        {
            Wait(await c.GetAsync(call.InteractionId), "routed", "accepted"),
            Wait(await c.GetAsync(chat.InteractionId), "routed", "accepted"),
            Wait(await c.GetAsync(overflowed.InteractionId), "routed", "accepted"),
            Wait(await c.GetAsync(email.InteractionId), "routed", "cancelled"),
        };
        Assert.True(atOnce.Max() < held.Min(), $"held-back waits ({string.Join(", ", held)}) contain the answered-at-once ones ({string.Join(", ", atOnce)})");
        var threshold = (atOnce.Max() + held.Min()) / 2;

        var request = new GetIntervalReportRequest
        {
            From = Timestamp.FromDateTimeOffset(from),
            To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1)),
            Interval = Duration.FromTimeSpan(TimeSpan.FromDays(1)),
            ServiceLevelThreshold = Duration.FromTimeSpan(threshold),
        };
        var report = await ReportWhenAsync(reporting, request, r => Row(r, support, "chat")?.Answered == 2 && Row(r, support, "email")?.Abandoned == 1);

        Assert.True(report.Durable);
        Assert.Equal(7, report.Queues.Count);
        Expect(Row(report, sales, "chat"), offered: 1, answered: 1, within: 1, transferred: 1, serviceLevel: 100);
        Expect(Row(report, sales, "voice"), offered: 1, answered: 1, within: 1, serviceLevel: 100);
        Expect(Row(report, sales, "email"), offered: 1, answered: 1, within: 1, serviceLevel: 100);
        Expect(Row(report, front, "chat"), offered: 1, overflowed: 1, serviceLevel: null);
        Expect(Row(report, support, "voice"), offered: 1, answered: 1, serviceLevel: 0);
        Expect(Row(report, support, "chat"), offered: 2, answered: 2, serviceLevel: 0);
        Expect(Row(report, support, "email"), offered: 1, abandoned: 1, serviceLevel: 0);
        Assert.Equal(100.0, Row(report, support, "email")!.AbandonRatePercent);

        // The same trace with a threshold past every wait: everything answered is within it, the abandon is short.
        request.ServiceLevelThreshold = Duration.FromTimeSpan(TimeSpan.FromHours(1));
        var lenient = await reporting.GetIntervalReportAsync(request);
        Expect(Row(lenient, support, "chat"), offered: 2, answered: 2, within: 2, serviceLevel: 100);
        Assert.Equal(1, Row(lenient, support, "email")!.AbandonedWithinThreshold);
        Assert.False(Row(lenient, support, "email")!.HasServiceLevelPercent);
        Assert.Equal(2, lenient.Agents.Single(a => a.AgentId == ben && a.Channel == "chat").Handled);
        Assert.Equal(1, lenient.Agents.Single(a => a.AgentId == cleo && a.Channel == "chat").Handled);
    }

    private static async Task AnswerAsync(AgentDesk desk, string interactionId, bool finish, bool offered = false)
    {
        if (!offered)
        {
            await desk.NextOfferAsync(interactionId);
        }

        await desk.AcceptAsync(interactionId);
        if (finish)
        {
            await desk.CompleteAsync(interactionId);
            await desk.EndWrapUpAsync(interactionId);
        }
    }

    /// <summary>From the first event of type <paramref name="start"/> to the first <paramref name="end"/> after it.</summary>
    private static TimeSpan Wait(Interaction interaction, string start, string end)
    {
        var began = interaction.History.First(e => e.Type == start);
        return interaction.History.First(e => e.Type == end && e.Sequence > began.Sequence).Time.ToDateTimeOffset() - began.Time.ToDateTimeOffset();
    }

    private static QueueIntervalRow? Row(IntervalReport report, string queueId, string channel) =>
        report.Queues.SingleOrDefault(q => q.QueueId == queueId && q.Channel == channel);

    private static void Expect(QueueIntervalRow? row, int offered, int answered = 0, int within = 0, int abandoned = 0, int transferred = 0, int overflowed = 0, double? serviceLevel = null)
    {
        Assert.NotNull(row);
        var what = $"{row.QueueId}/{row.Channel}";
        Assert.True(offered == row.Offered, $"{what} offered {row.Offered}, expected {offered}");
        Assert.True(answered == row.Answered, $"{what} answered {row.Answered}, expected {answered}");
        Assert.True(within == row.AnsweredWithinThreshold, $"{what} answered within the threshold {row.AnsweredWithinThreshold}, expected {within}");
        Assert.True(abandoned == row.Abandoned, $"{what} abandoned {row.Abandoned}, expected {abandoned}");
        Assert.True(transferred == row.Transferred, $"{what} transferred {row.Transferred}, expected {transferred}");
        Assert.True(overflowed == row.Overflowed, $"{what} overflowed {row.Overflowed}, expected {overflowed}");
        Assert.Equal(0, row.StillWaiting);
        Assert.Equal(serviceLevel, row.HasServiceLevelPercent ? row.ServiceLevelPercent : null);
    }

    private static async Task<IntervalReport> ReportWhenAsync(ReportingService.ReportingServiceClient reporting, GetIntervalReportRequest request, Func<IntervalReport, bool> ready)
    {
        var deadline = DateTime.UtcNow + EngineClient.Wait;
        while (true)
        {
            var report = await reporting.GetIntervalReportAsync(request);
            if (ready(report) || DateTime.UtcNow > deadline)
            {
                return report;
            }

            await Task.Delay(50);
        }
    }
}
