using Grpc.Core;
using Omnichannel.Routing.V1;
using Xunit.Abstractions;

namespace Omnichannel.Routing.EndToEnd.Tests.Durable;

/// <summary>PostgreSQL goes away for 30 s under load: nothing answered OK is lost, the rest is refused cleanly.</summary>
public sealed class DatabaseOutageTests(PostgresServerFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task An_outage_under_load_refuses_with_unavailable_and_loses_nothing_acknowledged()
    {
        var database = (await postgres.Server.CreateDatabaseAsync()).ConnectionString;
        var ports = HostPorts.Free();
        string[] settings = ["--ConnectionStrings:Routing=" + database, "--Routing:ReconcilePeriod=00:00:02", "--Api:OfferStreamRenewal=00:00:01", "--Routing:OfferStreamGrace=00:01:00"];
        await using var engine = await HostProcess.StartAsync(ports, settings);
        var c = new EngineClient(engine.Channel);
        var queue = await c.QueueAsync("outage");
        var agents = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            agents.Add(await c.AgentAsync($"outage-agent-{i}", [queue]));
        }

        var load = new ContactCentreLoad(c, queue);
        foreach (var agent in agents)
        {
            load.Staff(agent);
        }

        load.RouteEvery(TimeSpan.FromMilliseconds(50), c.Id("outage-customer"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await postgres.Server.PauseAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(30));
        var resumingAt = DateTimeOffset.UtcNow;
        await postgres.Server.ResumeAsync();
        var restartedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(10));
        await load.StopRoutingAsync();

        // The database was certainly down from the moment the pause returned until the resume began. A route sent
        // before it may be answered late, behind writes hanging on the dead connection, and one sent during it may
        // commit once the server is back (pg_ctl reports "started" a little after it accepts connections); both are
        // durable. One sent and answered OK inside that window would not be.
        var during = load.Acknowledged.Values.Count(a => a.SentAt > stoppedAt && a.At < resumingAt);
        var afterwards = load.Acknowledged.Values.Count(a => a.SentAt > restartedAt);
        foreach (var a in load.Acknowledged.Values.Where(a => a.SentAt > stoppedAt && a.At < restartedAt))
        {
            output.WriteLine($"sent {(a.SentAt - stoppedAt).TotalSeconds:F2} s after the pause, answered OK {(a.At - resumingAt).TotalSeconds:F2} s after the resume began");
        }

        output.WriteLine($"acknowledged {load.Acknowledged.Count} ({during} while the database was down, {afterwards} after), failed calls {load.Failures.Count}: "
            + string.Join(", ", load.Failures.GroupBy(f => (f.Rpc, f.Code)).Select(g => $"{g.Key.Rpc} {g.Key.Code} x{g.Count()}")));
        // A front-end is told UNAVAILABLE (retry) or nothing at all; a desktop may also find its offer moved on.
        Assert.All(load.Failures, f => Assert.True(
            f.Code is StatusCode.Unavailable or StatusCode.DeadlineExceeded || (f.Rpc != "RouteInteraction" && f.Code == StatusCode.FailedPrecondition),
            $"{f.Rpc} failed with {f.Code}: {f.Detail}"));
        Assert.Equal(0, during);
        Assert.True(afterwards > 20, $"routing did not resume after the database returned ({afterwards} routes)");

        // Everything answered OK is durable: it is there after a SIGKILL and a restart, and gets served once.
        await load.StopAsync();
        await engine.KillAsync();
        await using var restarted = await HostProcess.StartAsync(ports, settings);
        c = new EngineClient(restarted.Channel);
        await using var after = new ContactCentreLoad(c, queue);
        foreach (var agent in agents)
        {
            after.Staff(agent);
        }

        foreach (var id in load.Acknowledged.Keys)
        {
            var done = await c.WaitForAsync(id, i => i.State == InteractionState.Completed, "completed after the outage");
            AssignmentAudit.AssertClean(done);
        }

        await load.DisposeAsync();
    }

    [Fact]
    public async Task The_host_stops_on_sigterm_even_while_the_database_is_unreachable()
    {
        var database = (await postgres.Server.CreateDatabaseAsync()).ConnectionString;
        await using var engine = await HostProcess.StartAsync("--ConnectionStrings:Routing=" + database, "--Host:ShutdownTimeout=00:00:02");
        var c = new EngineClient(engine.Channel);
        var queue = await c.QueueAsync("stop");
        await c.RouteAsync(queue, "chat");
        await postgres.Server.PauseAsync();
        try
        {
            // Orleans' own stop retries marking the silo dead for minutes without a database; the host bounds it
            // (ShutdownTimeout plus a grace period), so an orchestrator's SIGTERM is enough.
            Assert.True(await engine.TerminateAsync(TimeSpan.FromSeconds(60)), "the host was still running a minute after SIGTERM:\n" + engine.Output);
        }
        finally
        {
            await postgres.Server.ResumeAsync();
        }
    }
}
