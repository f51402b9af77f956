using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Durable;

/// <summary>A PostgreSQL server limited to 30 connections, as a shared or managed server often leaves one service.</summary>
public sealed class SmallPostgresServerFixture : IAsyncLifetime
{
    public const int MaxConnections = 30;

    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync(new PostgresServerOptions { MaxConnections = MaxConnections });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// A restart after SIGKILL with hundreds waiting and agents holding work, against a PostgreSQL of 30 connections:
/// recovery stays within the server, readiness answers NOT_SERVING until it is done, and everything comes back as it was.
/// </summary>
public sealed class BoundedRecoveryTests(SmallPostgresServerFixture postgres) : IClassFixture<SmallPostgresServerFixture>
{
    private const int Agents = 20;
    private const int Waiting = 500;
    private const string RecoveredLine = "Recovery (silo started) done";

    private static string[] Settings(string database) =>
    [
        // The host's one data source (Storage:MaxPoolSize, 20) and the membership pool (4), under the server's 30.
        "--ConnectionStrings:Routing=" + database,
        // Long enough that the state can be compared after the restart before unanswered offers go back, however
        // slow the machine.
        "--Routing:OfferStreamGrace=00:30:00",
        "--Api:OfferStreamRenewal=00:00:01",
        // A jitter long enough that the pass outlasts the host's start-up, so NOT_SERVING is there to be seen.
        "--Recovery:Jitter=00:00:01",
        "--Logging:LogLevel:Omnichannel.Routing.Grains.EngineRecovery=Information",
        // No reconcile pass before the checks: what comes back must come from recovery alone.
        "--Routing:ReconcilePeriod=00:10:00",
    ];

    [Fact]
    public async Task After_a_sigkill_readiness_waits_for_recovery_which_stays_within_the_server_and_restores_every_waiting_line_and_held_interaction()
    {
        await using var db = await postgres.Server.CreateDatabaseAsync();
        var database = db.ConnectionString;
        var ports = HostPorts.Free();
        var first = await HostProcess.StartAsync(ports, Settings(database));
        await UntilServingAsync(first);
        var c = new EngineClient(first.Channel);
        var queue = await c.QueueAsync("recovery", q =>
        {
            q.WrapUp = Duration.FromTimeSpan(TimeSpan.FromMinutes(30));
            q.OfferTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(30));
        });
        var desks = new List<AgentDesk>();
        for (var i = 0; i < Agents; i++)
        {
            desks.Add(await c.SignInAsync(await c.AgentAsync($"recovery-agent-{i}", [queue])));
        }

        var routed = new List<string>();
        for (var i = 0; i < Waiting + (3 * Agents); i++)
        {
            routed.Add((await c.RouteAsync(queue)).InteractionId);
        }

        // Each agent holds three chats: one in wrap-up, one connected, one still offered; the rest wait.
        foreach (var desk in desks)
        {
            var offers = new List<Offer> { await desk.NextOfferAsync(), await desk.NextOfferAsync(), await desk.NextOfferAsync() };
            await desk.AcceptAsync(offers[0].InteractionId);
            await desk.AcceptAsync(offers[1].InteractionId);
            await desk.CompleteAsync(offers[0].InteractionId);
        }

        var before = await StatesAsync(c, routed);
        Assert.Equal(Waiting, before.Values.Count(v => v.State == InteractionState.Queued));
        Assert.Equal(3 * Agents, before.Values.Count(v => v.State is InteractionState.Offered or InteractionState.Connected or InteractionState.WrapUp));
        var lineBefore = WaitingLine(before);

        await first.KillAsync();
        foreach (var desk in desks)
        {
            await desk.DisposeAsync();
        }

        // No outbox gap: a state and its events commit together, so every acknowledged interaction is in the log, and
        // in its index, at the moment of the kill, before anything runs again.
        Assert.Equal(routed.Count, await db.ScalarAsync<long>("SELECT count(DISTINCT subject_id) FROM routing_event WHERE subject = 'Interaction'"));
        Assert.Equal(Waiting, await db.ScalarAsync<long>("SELECT count(*) FROM routing_interaction_state WHERE state = 'Queued'"));

        await using var second = await HostProcess.StartAsync(ports, Settings(database));
        var seen = await UntilServingAsync(second);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, seen[0]);
        // The pass logs what it restored (the console writes it a moment after).
        var logged = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (second.LinesContaining(RecoveredLine) == 0 && DateTime.UtcNow < logged)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(1, second.LinesContaining(RecoveredLine));
        Assert.Equal(0, first.LinesContaining("too many clients") + second.LinesContaining("too many clients"));
        var after = await StatesAsync(new EngineClient(second.Channel), routed);
        foreach (var id in routed)
        {
            Assert.Equal((before[id].State, before[id].Agent), (after[id].State, after[id].Agent));
        }

        Assert.Equal(lineBefore, WaitingLine(after));
    }

    /// <summary>Polls health until SERVING; answers every status seen, in order.</summary>
    private static async Task<List<HealthCheckResponse.Types.ServingStatus>> UntilServingAsync(HostProcess host)
    {
        var health = new Health.HealthClient(host.Channel);
        var seen = new List<HealthCheckResponse.Types.ServingStatus>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (seen.LastOrDefault() != HealthCheckResponse.Types.ServingStatus.Serving)
        {
            Assert.True(DateTime.UtcNow < deadline, $"not SERVING within 2 minutes; seen {string.Join(", ", seen)}\n{host.Output}");
            try
            {
                seen.Add((await health.CheckAsync(new HealthCheckRequest())).Status);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                seen.Add(HealthCheckResponse.Types.ServingStatus.Unknown);
            }

            if (seen[^1] != HealthCheckResponse.Types.ServingStatus.Serving)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
        }

        return seen;
    }

    private static async Task<Dictionary<string, (InteractionState State, string Agent, int Position)>> StatesAsync(EngineClient c, IEnumerable<string> ids)
    {
        var states = new Dictionary<string, (InteractionState, string, int)>();
        foreach (var id in ids)
        {
            var i = await c.GetAsync(id);
            states[id] = (i.State, i.AgentId, i.QueuePosition);
        }

        return states;
    }

    /// <summary>The waiting interactions, first in line first.</summary>
    private static List<string> WaitingLine(Dictionary<string, (InteractionState State, string Agent, int Position)> states) =>
        [.. states.Where(s => s.Value.State == InteractionState.Queued).OrderBy(s => s.Value.Position).Select(s => s.Key)];
}
