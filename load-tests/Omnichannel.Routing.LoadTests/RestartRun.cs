using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Omnichannel.Routing.TestSupport;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.LoadTests;

/// <summary>
/// The restart scenario: a durable host with <see cref="LoadOptions.Waiting"/> interactions waiting and every agent
/// holding one (auto-accepted, so connected), SIGKILLed and started again on the same database
/// <see cref="LoadOptions.Restarts"/> times. Each time it measures the seconds from the new process's start to gRPC
/// health answering SERVING (recovery done), and counts the host's "too many clients" lines.
/// </summary>
internal sealed class RestartRun(LoadOptions options, TextWriter output, CancellationToken cancel)
{
    private const int SetupParallelism = 32;
    private const string TooManyClients = "too many clients";

    /// <summary>Runs the scenario; answers the Markdown report, and whether every restart came back.</summary>
    public async Task<(string Report, bool Passed)> RunAsync(string commandLine)
    {
        var o = options;
        var hostDll = o.HostDll ?? LoadRun.DefaultHostDll(RepositoryDirectory.Find());
        if (o.Build && o.HostDll is null)
        {
            await LoadRun.BuildHostAsync(RepositoryDirectory.Find(), Log, cancel).ConfigureAwait(false);
        }

        var agents = o.Agents ?? 2_000;
        var queues = o.QueuesFor(agents);
        var maxConnections = o.MaxConnections;
        Log($"starting PostgreSQL with durability on, max_connections = {maxConnections}");
        await using var server = o.Postgres is { } given
            ? PostgresServer.Existing(given)
            : await PostgresServer.StartAsync(PostgresServerOptions.Durable with { MaxConnections = maxConnections }, cancel).ConfigureAwait(false);
        var database = await server.CreateDatabaseAsync().ConfigureAwait(false);
        await using var dropped = database.ConfigureAwait(false);

        // Until the host has one connection budget, its two pools are bounded here, under the server's limit.
        var connection = $"{database.ConnectionString};Maximum Pool Size={o.PoolSize}";
        var ports = HostPorts.Free();
        string[] settings =
        [
            $"--postgres={connection}",
            "--Routing:OfferStreamGrace=01:00:00",
            "--Logging:LogLevel:Omnichannel.Routing.Grains.EngineRecovery=Information",
            .. o.HostArgs,
        ];

        var host = await HostProcess.StartAsync(hostDll, ports, settings).ConfigureAwait(false);
        var times = new List<(double ToServing, int TooManyClients, string Recovered)>();
        try
        {
            await UntilServingAsync(host).ConfigureAwait(false);
            await SeedAsync(host, agents, queues).ConfigureAwait(false);
            for (var run = 1; run <= o.Restarts; run++)
            {
                await host.KillAsync().ConfigureAwait(false);
                await host.DisposeAsync().ConfigureAwait(false);
                var started = Stopwatch.StartNew();
                host = await HostProcess.StartAsync(hostDll, ports, settings).ConfigureAwait(false);
                var listening = started.Elapsed;
                await UntilServingAsync(host).ConfigureAwait(false);
                var serving = started.Elapsed;
                var recovered = await RecoveredLineAsync(host).ConfigureAwait(false);
                times.Add((serving.TotalSeconds, host.LinesContaining(TooManyClients), recovered));
                Log($"restart {run}: listening after {listening.TotalSeconds:0.0} s, SERVING after {serving.TotalSeconds:0.0} s; {recovered}");
            }
        }
        finally
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }

        return (Report(commandLine, agents, queues, maxConnections, times), times.Count == o.Restarts);
    }

    /// <summary>Queues, agents on an auto-accepted channel each holding one interaction, then the waiting ones.</summary>
    private async Task SeedAsync(HostProcess host, int agents, int queues)
    {
        // The host's calls carry the tokens it requires.
        var channel = host.Channel;
        var admin = new AdminService.AdminServiceClient(channel);
        var agentService = new AgentService.AgentServiceClient(channel);
        var routing = new RoutingService.RoutingServiceClient(channel);
        var runId = "rs" + Guid.NewGuid().ToString("N")[..6];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancel };
        var clock = Stopwatch.StartNew();

        await admin.UpsertChannelAsync(new UpsertChannelRequest { Channel = new Channel { Name = "chat", DisplayName = "Chat", AutoAccept = true } }, cancellationToken: cancel);
        await Parallel.ForEachAsync(Enumerable.Range(0, queues), parallel, async (q, token) =>
        {
            var queue = new Queue { QueueId = $"{runId}-q{q:D4}", DisplayName = $"Restart queue {q}", WrapUp = Duration.FromTimeSpan(TimeSpan.FromMinutes(30)) };
            queue.Channels.Add("chat");
            await admin.UpsertQueueAsync(new UpsertQueueRequest { Queue = queue }, cancellationToken: token);
        }).ConfigureAwait(false);
        await Parallel.ForEachAsync(Enumerable.Range(0, agents), parallel, async (a, token) =>
        {
            var capacity = new CapacityProfile { TotalUnits = 100 };
            capacity.Channels.Add(new ChannelCapacity { Channel = "chat", MaxConcurrent = 1, UnitCost = 100 });
            var agent = new Agent { AgentId = $"{runId}-a{a:D6}", DisplayName = $"Restart agent {a}", Capacity = capacity };
            agent.QueueIds.Add($"{runId}-q{a % queues:D4}");
            await admin.UpsertAgentAsync(new UpsertAgentRequest { Agent = agent }, cancellationToken: token);
            await agentService.SignInAsync(new SignInRequest { AgentId = agent.AgentId, Presence = Presence.Available }, cancellationToken: token);
        }).ConfigureAwait(false);
        Log($"defined {queues:N0} queues and {agents:N0} signed-in agents in {clock.Elapsed.TotalSeconds:0.0} s");

        // One per agent first (each is offered and auto-accepted: held), then the ones that wait.
        clock.Restart();
        var routed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, agents + options.Waiting), parallel, async (i, token) =>
        {
            var request = new RouteInteractionRequest { RequestId = $"{runId}-r{i}", CustomerId = $"{runId}-c{i}", Channel = "chat", QueueId = $"{runId}-q{i % queues:D4}" };
            await routing.RouteInteractionAsync(request, cancellationToken: token);
            if (Interlocked.Increment(ref routed) % 2_000 == 0)
            {
                Log($"  routed {routed:N0} / {agents + options.Waiting:N0}");
            }
        }).ConfigureAwait(false);
        Log($"routed {routed:N0} interactions in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task UntilServingAsync(HostProcess host)
    {
        var health = new Health.HealthClient(host.Channel);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            try
            {
                if ((await health.CheckAsync(new HealthCheckRequest(), cancellationToken: cancel)).Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the host was not SERVING within 10 minutes:\n{host.Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancel).ConfigureAwait(false);
        }
    }

    /// <summary>The host's own account of the pass (the console writes it a moment after SERVING).</summary>
    private async Task<string> RecoveredLineAsync(HostProcess host)
    {
        for (var i = 0; i < 50; i++)
        {
            if (host.Output.Split('\n').LastOrDefault(l => l.Contains("Recovery (silo started) done", StringComparison.Ordinal)) is { } line)
            {
                return line.Trim();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancel).ConfigureAwait(false);
        }

        return "(no recovery line)";
    }

    private string Report(string commandLine, int agents, int queues, int maxConnections, List<(double ToServing, int TooManyClients, string Recovered)> times)
    {
        var lines = new List<string>
        {
            $"## Restart and recovery: {options.Waiting:N0} waiting, {agents:N0} agents holding work, {queues:N0} queues, max_connections = {maxConnections}",
            string.Empty,
            $"`{commandLine}`",
            string.Empty,
            "| restart | seconds to SERVING | `too many clients` lines |",
            "|---|---|---|",
        };
        lines.AddRange(times.Select((t, i) => string.Create(CultureInfo.InvariantCulture, $"| {i + 1} | {t.ToServing:0.0} | {t.TooManyClients} |")));
        if (times.Count > 0)
        {
            var sorted = times.Select(t => t.ToServing).Order().ToList();
            var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
            lines.Add(string.Empty);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Median {median:0.0} s, worst {sorted[^1]:0.0} s (from the new process's start to SERVING)."));
            lines.Add($"Last pass, as the host logged it: {times[^1].Recovered}");
        }

        return string.Join('\n', lines);
    }

    private void Log(string line) => output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
}
