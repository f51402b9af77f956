using Grpc.Core;
using Omnichannel.Routing.V1;
using Xunit.Abstractions;

namespace Omnichannel.Routing.EndToEnd.Tests.Durable;

/// <summary>Two silos on one PostgreSQL: losing one loses nothing acknowledged, and routing resumes.</summary>
public sealed class DurableClusterTests(PostgresServerFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresServerFixture>
{
    /// <summary>
    /// Failure detection tuned for a test on loopback: probes every second, two missed probes, one vote. The
    /// README gives the production defaults and what they measure.
    /// </summary>
    private static readonly string[] FastMembership =
    [
        "--Orleans:Membership:ProbeTimeout=00:00:01",
        "--Orleans:Membership:NumMissedProbesLimit=2",
        "--Orleans:Membership:NumVotesForDeathDeclaration=1",
        "--Orleans:Membership:TableRefreshTimeout=00:00:02",
        "--Orleans:Membership:IAmAliveTablePublishTimeout=00:00:02",
        "--Orleans:Membership:DeathVoteExpirationTimeout=00:00:10",
        "--Routing:ReconcilePeriod=00:00:02",
        "--Api:OfferStreamRenewal=00:00:01",
        "--Routing:ProposalTimeout=00:00:02",
    ];

    [Fact]
    public async Task Killing_one_of_two_silos_loses_no_acknowledged_interaction_and_routing_resumes()
    {
        var database = (await postgres.Server.CreateDatabaseAsync()).ConnectionString;
        var settings = FastMembership.Append("--ConnectionStrings:Routing=" + database).ToArray();
        await using var first = await HostProcess.StartAsync(settings);
        await using var second = await HostProcess.StartAsync(settings);
        var c = new EngineClient(first.Channel);
        var queue = await c.QueueAsync("cluster");
        var agents = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            agents.Add(await c.AgentAsync($"cluster-agent-{i}", [queue]));
        }

        await using var load = new ContactCentreLoad(c, queue);
        foreach (var agent in agents)
        {
            load.Staff(agent);
        }

        load.RouteEvery(TimeSpan.FromMilliseconds(25), c.Id("cluster-customer"));
        await WaitUntilAsync(() => load.Acknowledged.Count >= 100, () => $"100 routes acknowledged before the kill (acknowledged {load.Acknowledged.Count}; failures: {string.Join(", ", load.Failures.GroupBy(f => $"{f.Rpc} {f.Code}").Select(g => $"{g.Key} x{g.Count()}"))})");

        var killedAt = DateTimeOffset.UtcNow;
        await second.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(20));
        await load.StopRoutingAsync();

        var routeFailures = load.Failures.Where(f => f.Rpc == "RouteInteraction").ToList();
        var lastFailure = routeFailures.Count == 0 ? killedAt : routeFailures.Max(f => f.At);
        var resumed = load.Acknowledged.Values.Select(a => a.At).Where(at => at > lastFailure).OrderBy(at => at).FirstOrDefault();
        output.WriteLine($"acknowledged {load.Acknowledged.Count}, failed routes {routeFailures.Count}; routes failed until {(lastFailure - killedAt).TotalSeconds:F1} s after the kill, resumed at {(resumed - killedAt).TotalSeconds:F1} s");
        foreach (var f in load.Failures)
        {
            output.WriteLine($"  {(f.At - killedAt).TotalSeconds:F2} s: {f.Rpc} {f.Code} {f.Detail}");
        }

        // A front-end is told UNAVAILABLE (retry) or nothing at all; a desktop may also find its offer moved on.
        Assert.All(load.Failures, f => Assert.True(
            f.Code is StatusCode.Unavailable or StatusCode.DeadlineExceeded || (f.Rpc != "RouteInteraction" && f.Code == StatusCode.FailedPrecondition),
            $"{f.Rpc} failed with {f.Code}: {f.Detail}"));
        Assert.True(resumed != default, "no route succeeded after the last failure");
        Assert.True(load.Acknowledged.Values.Count(a => a.At > lastFailure) > 50, "routing did not carry on after the failure");

        // Nothing acknowledged is lost, and every one is served exactly once, by one agent at a time.
        foreach (var id in load.Acknowledged.Keys)
        {
            var done = await c.WaitForAsync(id, i => i.State == InteractionState.Completed, "completed after the silo failure");
            AssignmentAudit.AssertClean(done);
        }
    }

    /// <summary>Two silos warming up on a loaded two-core machine answer their first routes slowly: a minute, not the usual wait.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what()}");
            await Task.Delay(50);
        }
    }
}
