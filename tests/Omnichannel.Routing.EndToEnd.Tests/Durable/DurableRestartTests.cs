using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Durable;

/// <summary>Durable mode on a real PostgreSQL: what was acknowledged survives a SIGKILL, and routing carries on.</summary>
public sealed class DurableRestartTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private const int Agents = 10;
    private const int Interactions = 300;

    private static string[] Settings(string database) =>
    [
        "--ConnectionStrings:Routing=" + database,
        // Long enough that the state can be compared after the restart before unanswered offers go back.
        "--Routing:OfferStreamGrace=00:00:30",
        "--Routing:ReconcilePeriod=00:00:02",
        "--Api:OfferStreamRenewal=00:00:01",
    ];

    [Fact]
    public async Task Acknowledged_interactions_survive_a_sigkill_in_every_state_and_routing_carries_on()
    {
        var database = (await postgres.Server.CreateDatabaseAsync()).ConnectionString;
        var ports = HostPorts.Free();
        var first = await HostProcess.StartAsync(ports, Settings(database));
        var c = new EngineClient(first.Channel);
        var queue = await c.QueueAsync("restart", q => q.WrapUp = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)));
        var agents = new List<string>();
        var desks = new List<AgentDesk>();
        for (var i = 0; i < Agents; i++)
        {
            agents.Add(await c.AgentAsync($"restart-agent-{i}", [queue]));
            desks.Add(await c.SignInAsync(agents[^1]));
        }

        var routed = new List<string>();
        for (var i = 0; i < Interactions; i++)
        {
            routed.Add((await c.RouteAsync(queue, configure: r => r.RequestId = c.Id($"restart-{i}"))).InteractionId);
        }

        // Each agent holds three chats: one in wrap-up, one connected, one still offered; the rest wait.
        foreach (var desk in desks)
        {
            var offers = new List<Offer> { await desk.NextOfferAsync(), await desk.NextOfferAsync(), await desk.NextOfferAsync() };
            await desk.AcceptAsync(offers[0].InteractionId);
            await desk.AcceptAsync(offers[1].InteractionId);
            await desk.CompleteAsync(offers[0].InteractionId);
        }

        var before = new Dictionary<string, (InteractionState State, string Agent)>();
        foreach (var id in routed)
        {
            var i = await c.GetAsync(id);
            before[id] = (i.State, i.AgentId);
        }

        Assert.Equal(Agents, before.Values.Count(v => v.State == InteractionState.WrapUp));
        Assert.Equal(Agents, before.Values.Count(v => v.State == InteractionState.Connected));
        Assert.Equal(Agents, before.Values.Count(v => v.State == InteractionState.Offered));
        Assert.Equal(Interactions - (3 * Agents), before.Values.Count(v => v.State == InteractionState.Queued));
        var loadsBefore = await LoadsAsync(c, agents);

        var retriedRequest = new RouteInteractionRequest { RequestId = c.Id("restart-7"), CustomerId = c.Id("customer"), Channel = "chat", QueueId = queue };
        await first.KillAsync();
        foreach (var desk in desks)
        {
            await desk.DisposeAsync();
        }

        await using var second = await HostProcess.StartAsync(ports, Settings(database));
        c = new EngineClient(second.Channel);

        foreach (var id in routed)
        {
            var after = await c.GetAsync(id);
            Assert.Equal(before[id], (after.State, after.AgentId));
            AssignmentAudit.AssertClean(after);
        }

        Assert.Equal(loadsBefore, await LoadsAsync(c, agents));

        // A retry of an acknowledged route, across the restart, answers the same interaction.
        var replay = await c.Routing.RouteInteractionAsync(retriedRequest);
        Assert.True(replay.Replayed);
        Assert.Equal(routed[7], replay.Interaction.InteractionId);

        // Routing carries on: the desktops come back, finish what they held (connected, in wrap-up, and the offers
        // re-sent on reconnection), and everything waiting gets served.
        await using var load = new ContactCentreLoad(c, queue);
        foreach (var agent in agents)
        {
            load.Staff(agent);
        }

        foreach (var id in routed)
        {
            var done = await c.WaitForAsync(id, i => i.State == InteractionState.Completed, "completed after the restart");
            AssignmentAudit.AssertClean(done);
        }
    }

    [Fact]
    public async Task The_same_request_id_a_hundred_times_at_once_yields_one_interaction()
    {
        await using var engine = await HostProcess.StartAsync(Settings((await postgres.Server.CreateDatabaseAsync()).ConnectionString));
        var c = new EngineClient(engine.Channel);
        var queue = await c.QueueAsync("idempotent");
        var request = new RouteInteractionRequest { RequestId = Guid.NewGuid().ToString(), CustomerId = c.Id("same"), Channel = "chat", QueueId = queue };

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => c.Routing.RouteInteractionAsync(request).ResponseAsync));

        Assert.Single(answers.Select(a => a.Interaction.InteractionId).Distinct());
        Assert.Single(answers, a => !a.Replayed);
        var recorded = await c.GetAsync(answers[0].Interaction.InteractionId);
        Assert.Single(recorded.History, e => e.Type == "routed");
    }

    [Fact]
    public async Task The_event_log_of_a_full_lifecycle_is_complete_and_ordered()
    {
        await using var engine = await HostProcess.StartAsync(Settings((await postgres.Server.CreateDatabaseAsync()).ConnectionString));
        var c = new EngineClient(engine.Channel);
        var queue = await c.QueueAsync("logged");
        var agent = await c.AgentAsync("logged-agent", [queue]);
        await using var desk = await c.SignInAsync(agent);
        var routed = await c.RouteAsync(queue);
        await desk.NextOfferAsync(routed.InteractionId);
        await desk.RejectAsync(routed.InteractionId);
        var second = await c.AgentAsync("logged-agent-2", [queue]);
        await using var desk2 = await c.SignInAsync(second);
        await desk2.NextOfferAsync(routed.InteractionId);
        await desk2.AcceptAsync(routed.InteractionId);
        await desk2.CompleteAsync(routed.InteractionId, "resolved");

        var logged = await c.GetAsync(routed.InteractionId);

        Assert.Equal(["routed", "offered", "rejected", "offered", "accepted", "completed", "wrap_up_ended"], logged.History.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), logged.History.Select(e => e.Sequence));
        Assert.Equal([ActorKind.Frontend, ActorKind.System, ActorKind.Agent, ActorKind.System, ActorKind.Agent, ActorKind.Agent, ActorKind.System], logged.History.Select(e => e.Actor.Kind));
        Assert.Equal(agent, logged.History[2].AgentId);
        Assert.Equal(second, logged.History[4].AgentId);
    }

    [Fact]
    public async Task Migrating_twice_applies_nothing_the_second_time()
    {
        var database = (await postgres.Server.CreateDatabaseAsync()).ConnectionString;

        var firstRun = await MigrateAsync(database);
        var secondRun = await MigrateAsync(database);

        Assert.StartsWith("applied 0001", firstRun, StringComparison.Ordinal);
        Assert.Equal("schema is up to date", secondRun);
    }

    private static async Task<string> MigrateAsync(string database)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { HostProcess.DefaultAssemblyPath, "migrate", "--postgres", database })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync());
        return output.Trim().Split('\n')[^1];
    }

    private static async Task<string> LoadsAsync(EngineClient c, IEnumerable<string> agents)
    {
        var lines = new List<string>();
        foreach (var agent in agents)
        {
            var status = (await c.Admin.GetAgentAsync(new GetAgentRequest { AgentId = agent })).Status;
            lines.Add($"{agent}: {status.UnitsUsed} units, " + string.Join(",", status.Loads.Select(l => $"{l.Channel}={l.Active}")));
        }

        return string.Join("\n", lines);
    }
}
