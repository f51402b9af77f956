using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Omnichannel.Routing.TestSupport;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.LoadTests;

/// <summary>
/// One invocation: starts what it needs (PostgreSQL, the engine host, the echo server), staffs the centre, measures
/// the ceilings, runs the load through warm-up and the measured window, drains, audits, and reports.
/// </summary>
internal sealed class LoadRun
{
    private const int UnaryChannels = 4;
    private const int SetupParallelism = 64;

    /// <summary>The drain gives up when nothing finished for this long: what is left then is stuck, not slow.</summary>
    private static readonly TimeSpan DrainStall = TimeSpan.FromSeconds(30);

    private readonly LoadOptions _options;
    private readonly TextWriter _out;
    private readonly CancellationToken _cancel;

    public LoadRun(LoadOptions options, TextWriter output, CancellationToken cancel)
    {
        _options = options;
        _out = output;
        _cancel = cancel;
    }

    public async Task<RunResult> RunAsync(string commandLine)
    {
        var o = _options;
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var machine = MachineFigures.Read();
        var loadBefore = ProcessSampler.LoadAverage();
        Log($"machine: {machine.Cpu}, {machine.Cores} cores, {machine.MemoryBytes / (1L << 30)} GiB; load average {loadBefore?.ToString("0.00", CultureInfo.InvariantCulture) ?? "?"}");

        string? root = null;
        var hostDll = o.HostDll;
        if (o.Address is null)
        {
            root = RepositoryDirectory.Find();
        }

        if (o.Address is null && o.Scenario != Scenario.Chaos)
        {
            hostDll ??= DefaultHostDll(root!);
            if (o.Build && o.HostDll is null)
            {
                await BuildHostAsync(root!, Log, _cancel).ConfigureAwait(false);
            }
        }

        DurableDatabase? database = null;
        if (o.Postgres is not null)
        {
            database = DurableDatabase.Existing(o.Postgres);
        }
        else if (o.Durable)
        {
            Log("starting PostgreSQL with durability on (as load-tests/postgres-durable.sh does)");
            database = await DurableDatabase.StartAsync(_cancel).ConfigureAwait(false);
        }

        try
        {
            var points = new List<PointResult>();
            CeilingResult? echo = null;
            PgbenchResult? pgbench = null;
            var counts = o.Scenario == Scenario.Scale ? o.AgentCounts : [o.AgentsFor(o.EffectiveRate)];
            for (var i = 0; i < counts.Count; i++)
            {
                _cancel.ThrowIfCancellationRequested();
                var first = i == 0;
                var label = o.Scenario == Scenario.Scale ? $"{counts[i]:N0} agents" : ScenarioName(o.Scenario);
                var point = o.Scenario == Scenario.Chaos
                    ? await RunChaosPointAsync(label, counts[i], root!).ConfigureAwait(false)
                    : await RunPointAsync(label, counts[i], hostDll, database, first).ConfigureAwait(false);
                points.Add(point.Result);
                echo ??= point.Echo;
                pgbench ??= point.Pgbench;
            }

            return new RunResult(
                ScenarioName(o.Scenario),
                o.Scenario == Scenario.Chaos ? $"local cluster of {o.Silos} silos (deploy/local-cluster.sh, durable, PostgreSQL)"
                    : o.IsDurable ? "durable (PostgreSQL, durability on)" : o.Address is null ? "embedded default (in memory)" : $"running engine at {o.Address}",
                commandLine,
                started,
                clock.Elapsed,
                machine,
                loadBefore,
                ProcessSampler.LoadAverage(),
                points,
                echo,
                pgbench);
        }
        finally
        {
            if (database is not null)
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public static string ScenarioName(Scenario scenario) => scenario switch
    {
        Scenario.HotQueue => "hot-queue",
        _ => scenario.ToString().ToLowerInvariant(),
    };

    private async Task<(PointResult Result, CeilingResult? Echo, PgbenchResult? Pgbench)> RunPointAsync(string label, int agents, string? hostDll, DurableDatabase? database, bool first)
    {
        var o = _options;
        var rate = o.EffectiveRate;
        var queues = o.QueuesFor(agents);
        Log($"--- {label}: {agents:N0} agents, {queues:N0} queues, {rate:N0} arrivals/s{(o.Scenario == Scenario.Burst ? $" (bursts of {o.BurstFactor}x for {o.BurstLength.TotalSeconds:0.#} s every {o.BurstPeriod.TotalSeconds:0.#} s)" : string.Empty)}");

        HostProcess? host = null;
        string address;
        int? pid;
        if (o.Address is not null)
        {
            address = o.Address;
            pid = o.HostPid;
        }
        else
        {
            // Free ports for everything the host binds (gRPC, silo, gateway, metrics, web), so a run never collides with
            // an engine already running on the defaults.
            var args = new List<string>();
            if (database is not null)
            {
                // A fresh cluster id per host: a previous point's silo, now dead, must not be taken for a member.
                args.Add($"--postgres={database.ConnectionString}");
                args.Add($"--Orleans:ClusterId=load-{Guid.NewGuid():N}");
            }

            else if (!o.HostArgs.Any(a => a.Contains("EmbeddedFinishedInteractions", StringComparison.Ordinal)))
            {
                // The embedded default forgets the oldest ended interactions beyond a bound; the audit reads every
                // interaction of the run, so the host keeps them all unless told otherwise (a soak sets the bound).
                var routes = ((o.Rate ?? 1000) * (o.Warmup + o.Duration).TotalSeconds * 2) + 100_000;
                args.Add($"--Routing:EmbeddedFinishedInteractions={(int)Math.Min(routes, int.MaxValue)}");
            }

            args.AddRange(o.HostArgs);
            Log($"starting the engine host: dotnet {hostDll}");
            host = await HostProcess.StartAsync(hostDll!, HostPorts.Free(), args).ConfigureAwait(false);
            address = host.Address;
            pid = host.Pid;
            Log($"engine host pid {pid} listening on {address}");
        }

        try
        {
            var watch = new HostWatch(pid);
            await using (watch.ConfigureAwait(false))
            {
                return await DriveAsync(label, agents, queues, rate, [address], watch, host, database, null, first).ConfigureAwait(false);
            }
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The chaos scenario's one point: a local cluster up, the load through all its silos while they are disrupted, the cluster down.</summary>
    private async Task<(PointResult Result, CeilingResult? Echo, PgbenchResult? Pgbench)> RunChaosPointAsync(string label, int agents, string root)
    {
        var o = _options;
        var rate = o.EffectiveRate;
        var queues = o.QueuesFor(agents);
        var every = o.DisruptEvery is { } e ? $"{e.TotalSeconds:0} s" : "20-30 s";
        Log($"--- {label}: {agents:N0} agents, {queues:N0} queues, {rate:N0} arrivals/s through {o.Silos} silos; " + o.Disruption switch
        {
            Disruption.Kill => $"one silo killed and restarted every {every}",
            Disruption.Term => $"one silo stopped and restarted every {every}",
            _ => "no silo taken away",
        });
        Log($"starting a local cluster of {o.Silos} silos (deploy/local-cluster.sh up {o.Silos})");
        var cluster = await LocalClusterSilos.UpAsync(root, o.Silos, _cancel).ConfigureAwait(false);
        await using (cluster.ConfigureAwait(false))
        {
            Log($"silos SERVING at {string.Join(", ", cluster.Addresses)}; state in {cluster.StateDirectory}");
            var watch = new HostWatch(null);
            await using (watch.ConfigureAwait(false))
            {
                return await DriveAsync(label, agents, queues, rate, cluster.Addresses, watch, null, null, cluster, first: false).ConfigureAwait(false);
            }
        }
    }

    private async Task<(PointResult Result, CeilingResult? Echo, PgbenchResult? Pgbench)> DriveAsync(
        string label, int agents, int queues, double rate, IReadOnlyList<string> addresses, HostWatch watch, HostProcess? host, DurableDatabase? database, LocalClusterSilos? cluster, bool first)
    {
        var o = _options;
        var runId = "lt" + Guid.NewGuid().ToString("N")[..6];
        var model = new ContactCentreModel(runId, agents, queues, o.ChannelMix, o.Scenario == Scenario.HotQueue, o.Shards);
        var timing = new DeskTiming(o.HandleScale, o.ThinkTime, o.WrapTime);
        var run = new RunState(new RunMetrics(), new InteractionLedger(), timing, model);
        var phases = new List<(string Name, RunMetrics Metrics)> { ("setup", run.Metrics) };
        // The host this run started requires its own tokens; a running engine given with --address, those of --token-key.
        using var clients = new EngineClients(addresses, UnaryChannels, agents, host?.Tokens ?? (o.TokenKey is { } key ? TestTokens.ForDevelopmentKey(key) : null));
        var audit = new InvariantAudit(clients, run);

        // Staffing: queues, agents, sign-in, streams.
        var clock = Stopwatch.StartNew();
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, queues), SetupParallelismOptions(), async (q, _) =>
            await Required("UpsertQueue", () => clients.Admin.UpsertQueueAsync(new UpsertQueueRequest { Queue = model.Queue(q) }, deadline: Deadline(60)).ResponseAsync, run).ConfigureAwait(false)).ConfigureAwait(false);
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, agents), SetupParallelismOptions(), async (a, _) =>
            await Required("UpsertAgent", () => clients.Admin.UpsertAgentAsync(new UpsertAgentRequest { Agent = model.Agent(a) }, deadline: Deadline(60)).ResponseAsync, run).ConfigureAwait(false)).ConfigureAwait(false);
        var define = clock.Elapsed;
        Log($"defined {queues:N0} queues and {agents:N0} agents in {define.TotalSeconds:0.0} s");

        clock.Restart();
        var signInProgress = 0;
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, agents), SetupParallelismOptions(), async (a, _) =>
        {
            await Required("SignIn", () => clients.Agents.SignInAsync(new SignInRequest { AgentId = model.AgentId(a), Presence = Presence.Available }, deadline: Deadline(60)).ResponseAsync, run).ConfigureAwait(false);
            if (Interlocked.Increment(ref signInProgress) % 10_000 == 0)
            {
                Log($"  signed in {signInProgress:N0} / {agents:N0}");
            }
        }).ConfigureAwait(false);
        var signIn = clock.Elapsed;
        Log($"signed in {agents:N0} agents in {signIn.TotalSeconds:0.0} s ({agents / Math.Max(0.001, signIn.TotalSeconds):N0}/s)");

        clock.Restart();
        using var desksStop = new CancellationTokenSource();
        var desks = Enumerable.Range(0, agents)
            .Select(a => new AgentDesk(model.AgentId(a), model.IsVoiceAgent(a) ? ContactCentreModel.VoiceProfile() : ContactCentreModel.DigitalProfile(), clients, opening => clients.StreamFor(a, opening), run))
            .ToArray();
        var deskTasks = new Task[agents];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, agents), new ParallelOptions { MaxDegreeOfParallelism = 256, CancellationToken = _cancel }, async (a, cancel) =>
        {
            deskTasks[a] = desks[a].RunAsync(desksStop.Token);
            await desks[a].Live.WaitAsync(TimeSpan.FromSeconds(120), cancel).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var streamsLive = clock.Elapsed;
        Log($"{agents:N0} offer streams live in {streamsLive.TotalSeconds:0.0} s");

        var rssAfterSignIn = watch.Now()?.RssBytes;
        var idleCpu = await IdleCpuAsync(watch).ConfigureAwait(false);
        if (idleCpu is not null)
        {
            Log($"host memory after sign-in {Mb(rssAfterSignIn)} MB; host CPU while idle {idleCpu:0.000} cores (after a {o.IdleSettle.TotalSeconds:0.#}-s settle, over {o.IdleWindow.TotalSeconds:0.#} s)");
        }

        var setup = new SetupFigures(agents, queues, define, signIn, streamsLive, rssAfterSignIn, idleCpu, o.IdleSettle, o.IdleWindow);

        // Ceilings measured while the engine is idle: PostgreSQL's insert rate, the bare gRPC echo.
        PgbenchResult? pgbench = null;
        CeilingResult? echo = null;
        if (first && database is not null && o.PgbenchLength > TimeSpan.Zero)
        {
            Log($"ceiling: pgbench, one-row insert transactions, {o.CeilingConcurrency} clients, {o.PgbenchLength.TotalSeconds:0} s");
            pgbench = await database.RunPgbenchAsync(o.PgbenchLength, o.CeilingConcurrency).ConfigureAwait(false);
            Log($"  pgbench: {pgbench.TransactionsPerSecond:N0} inserts/s (average {pgbench.AverageLatencyMs:0.00} ms)");
        }

        if (first && o.Echo && o.CeilingLength > TimeSpan.Zero && o.Scenario is not Scenario.Scale and not Scenario.Chaos)
        {
            echo = await RunEchoCeilingAsync().ConfigureAwait(false);
        }

        // The load: warm-up, then the measured window.
        var frontEnd = new FrontEnd(clients, run, o.Seed, retries: cluster is not null);
        using var arrivalsStop = new CancellationTokenSource();
        var arrivals = frontEnd.RunOpenLoopAsync(RampedUp(RateFor(rate), o.Warmup), arrivalsStop.Token);
        var progress = new ProgressLine(_out, watch, () => run.Metrics, () => run.InFlight, o.ProgressPeriod);
        await using (progress.ConfigureAwait(false))
        {
            if (o.Warmup > TimeSpan.Zero)
            {
                progress.Phase = "warm-up";
                phases.Add(("warm-up", run.Metrics = new RunMetrics()));
                await Task.Delay(o.Warmup, _cancel).ConfigureAwait(false);
            }

            progress.Phase = "measure";
            var measured = new RunMetrics();
            phases.Add(("measure", run.Metrics = measured));
            var hostStart = watch.Now();
            var clientStart = ProcessSampler.Self();
            var dbStart = database is null ? (DatabaseCounters?)null : await database.ReadCountersAsync().ConfigureAwait(false);
            using var hostRuntime = host is null ? null : new HostRuntimeCounters(host.Ports.Metrics);
            var runtimeStart = hostRuntime is null ? null : await hostRuntime.ReadAsync(_cancel).ConfigureAwait(false);
            var windowClock = Stopwatch.StartNew();
            run.QueueGaps = new QueueGaps();
            var sampling = SampleDuringAsync(audit, o.Duration);
            using var clusterCounters = cluster is null ? null : new ClusterCounters(cluster);
            var clusterStart = clusterCounters is null ? (ClusterReading?)null : await clusterCounters.ReadAsync(_cancel).ConfigureAwait(false);
            var disruptions = cluster is null ? null : new SiloDisruptions(cluster, o.Disruption, o.DisruptEvery, o.Seed);
            using var disruptionsStop = new CancellationTokenSource(o.Duration);
            var disrupting = disruptions?.RunAsync(Log, disruptionsStop.Token) ?? Task.CompletedTask;
            await Task.Delay(o.Duration, _cancel).ConfigureAwait(false);
            // A restart under way when the window closes is finished, and counted, inside the window.
            await disrupting.ConfigureAwait(false);
            var length = windowClock.Elapsed;
            var clusterWindow = clusterCounters is null ? null : await ClusterWindowOf(clusterCounters, clusterStart!.Value, length, measured.Lifecycles).ConfigureAwait(false);
            var chaos = disruptions is null ? null : ChaosFiguresOf(disruptions, run.QueueGaps, cluster!, clusterWindow);
            run.Metrics = new RunMetrics();
            var hostEnd = watch.Now();
            var clientEnd = ProcessSampler.Self();
            var dbEnd = database is null ? (DatabaseCounters?)null : await database.ReadCountersAsync().ConfigureAwait(false);
            var runtimeEnd = hostRuntime is null ? null : await hostRuntime.ReadAsync(_cancel).ConfigureAwait(false);
            await sampling.ConfigureAwait(false);
            var window = Window(measured, length, rate, hostStart, hostEnd, clientStart, clientEnd, dbStart, dbEnd) with
            {
                HostRuntime = runtimeStart is { } rs && runtimeEnd is { } re ? HostRuntimeCounters.WindowOf(rs, re, length, measured.Lifecycles) : null,
            };
            Log($"measured {length.TotalSeconds:0} s: {window.LifecyclesPerSecond:N0} lifecycles/s, {window.RoutedPerSecond:N0} routes/s, {window.RpcsPerSecond:N0} RPC/s; route→offer p50 {window.RouteToOffer.P50:0.00} ms p99 {window.RouteToOffer.P99:0.00} ms p99.9 {window.RouteToOffer.P999:0.00} ms");
            if (window.HostRuntime is { } gc)
            {
                Log($"host allocated {Kb(gc.AllocatedBytesPerLifecycle)} KB per completed lifecycle ({gc.AllocatedBytesPerSecond / (1024 * 1024):N0} MB/s); collections gen0 {gc.Gen0Collections:N0}, gen1 {gc.Gen1Collections:N0}, gen2 {gc.Gen2Collections:N0}, paused {gc.PauseSeconds * 1000:N0} ms");
            }

            // The routing ceiling: RouteInteraction at full speed with the echo's callers in flight.
            CeilingResult? routeCeiling = null;
            if (o.CeilingLength > TimeSpan.Zero && o.Scenario is not Scenario.Scale and not Scenario.Chaos)
            {
                await arrivalsStop.CancelAsync().ConfigureAwait(false);
                await arrivals.ConfigureAwait(false);
                progress.Phase = "ceiling";
                var ceilingMetrics = new RunMetrics();
                phases.Add(("ceiling", run.Metrics = ceilingMetrics));
                Log($"ceiling: RouteInteraction closed loop, {o.CeilingConcurrency} callers, {o.CeilingLength.TotalSeconds:0} s (the desks keep serving)");
                var ok = await frontEnd.RunClosedLoopAsync(o.CeilingConcurrency, o.CeilingLength).ConfigureAwait(false);
                var errors = ceilingMetrics.Errors().Where(e => e.Rpc == "RouteInteraction").Sum(e => e.Count);
                routeCeiling = new CeilingResult("RouteInteraction (engine)", o.CeilingConcurrency, o.CeilingLength, ok, errors, ceilingMetrics.Rpc("RouteInteraction").Total());
                Log($"  RouteInteraction: {routeCeiling.PerSecond:N0}/s (p50 {routeCeiling.Latency.P50:0.00} ms, p99 {routeCeiling.Latency.P99:0.00} ms)");
            }

            await arrivalsStop.CancelAsync().ConfigureAwait(false);
            await arrivals.ConfigureAwait(false);

            // Drain: the desks finish what is left; then the streams close.
            progress.Phase = "drain";
            phases.Add(("drain", run.Metrics = new RunMetrics()));
            await audit.ResolveAmbiguousAsync().ConfigureAwait(false);
            var drainClock = Stopwatch.StartNew();
            var lastProgress = Stopwatch.StartNew();
            var left = long.MaxValue;
            while (drainClock.Elapsed < o.Drain && lastProgress.Elapsed < DrainStall)
            {
                var now = run.Ledger.Acknowledged.LongCount(t => t.CompletedBy is null);
                if (now == 0)
                {
                    left = 0;
                    break;
                }

                if (now < left)
                {
                    lastProgress.Restart();
                }

                left = now;
                await Task.Delay(TimeSpan.FromMilliseconds(500), _cancel).ConfigureAwait(false);
            }

            var drainTook = drainClock.Elapsed;
            if (left > 0)
            {
                left -= await EndedUnseenAsync(run.Ledger, clients).ConfigureAwait(false);
            }

            Log($"drained in {drainTook.TotalSeconds:0.0} s; {left:N0} interactions left unfinished");
            progress.Phase = "audit";

            // Wrap-up ends and the last offers settle before the engine's state is read.
            await Task.Delay(TimeSpan.FromSeconds(1), _cancel).ConfigureAwait(false);
            await desksStop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(deskTasks.Where(t => t is not null)).ConfigureAwait(false);
            phases.Add(("audit", run.Metrics = new RunMetrics()));
            var acknowledgedCount = run.Ledger.Acknowledged.Count();
            Log($"invariant audit of {(o.AuditSample > 0 ? Math.Min(o.AuditSample, acknowledgedCount) : acknowledgedCount):N0} routed interactions and {agents:N0} agents");
            var result = await audit.RunAsync(o.AuditSample, o.Seed, _out).ConfigureAwait(false);
            foreach (var check in result.Checks)
            {
                Log($"  {(check.Passed ? "PASS" : "FAIL")} {check.Name}: {check.Checked:N0} checked, {check.ProblemCount:N0} violations");
                foreach (var problem in check.Problems.Take(5))
                {
                    Log($"      {problem}");
                }
            }

            var peak = watch.PeakRss;
            var errorsByPhase = phases.Select(p => new PhaseErrors(p.Name, p.Metrics.Errors(), p.Metrics.Counters())).ToList();
            var warnings = host?.Output.Split('\n').Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).Take(5) ?? [];
            var point = new PointResult(label, setup, window, routeCeiling, result, errorsByPhase, peak, host?.Warnings ?? 0, string.Join('\n', warnings), drainTook, left, chaos);
            return (point, echo, pgbench);
        }
    }

    /// <summary>
    /// Idle cost of the signed-in agents (stream renewals, lease timers), before any load, in cores: measured over the
    /// idle window once the settle has let JIT and tiered compilation finish; null when the host's process is unknown.
    /// </summary>
    private async Task<double?> IdleCpuAsync(HostWatch watch)
    {
        if (watch.Now() is null)
        {
            return null;
        }

        await Task.Delay(_options.IdleSettle, _cancel).ConfigureAwait(false);
        var before = watch.Now();
        await Task.Delay(_options.IdleWindow, _cancel).ConfigureAwait(false);
        return before is { } b && watch.Now() is { } after ? (after.CpuSeconds - b.CpuSeconds) / _options.IdleWindow.TotalSeconds : null;
    }

    private ChaosFigures ChaosFiguresOf(SiloDisruptions disruptions, QueueGaps gaps, LocalClusterSilos cluster, ClusterWindow? window)
    {
        var (gap, queue) = gaps.Longest();
        var figures = new ChaosFigures(_options.Disruption, disruptions.Outages, gap, queue, cluster.ResidentMemory(), window);
        Log($"chaos: {figures.Outages.Count} silo restart(s); the longest a queue went without an offer: {gap.TotalSeconds:0.0} s ({queue ?? "none"}); silo memory {string.Join(", ", figures.SiloRss.Select(Mb))} MB");
        if (window is not null)
        {
            Log($"cluster: silos used {window.SiloCpuCores?.ToString("0.00", CultureInfo.InvariantCulture) ?? "?"} cores; {window.MessagesPerLifecycle?.ToString("0.0", CultureInfo.InvariantCulture) ?? "?"} Orleans messages between silos and {window.LocalMessagesPerLifecycle?.ToString("0.0", CultureInfo.InvariantCulture) ?? "?"} within a silo per lifecycle; membership: {(window.DeclaredDead is { } dead ? $"{dead} incarnation(s) declared dead, {window.Suspected} suspected" : "not readable (the database did not answer)")}");
        }

        foreach (var (silo, tail) in cluster.ExitedSilos())
        {
            Log($"chaos: silo {silo + 1} is not running although nothing stopped it; the end of its log:\n{tail}");
        }

        return figures;
    }

    /// <summary>
    /// What the silos did over the window. CPU and message counts restart with a restarted silo, so they are given only
    /// when every silo was read at both ends and none was taken away in between.
    /// </summary>
    private async Task<ClusterWindow> ClusterWindowOf(ClusterCounters counters, ClusterReading start, TimeSpan length, long lifecycles)
    {
        var end = await counters.ReadAsync(_cancel).ConfigureAwait(false);
        var membership = await counters.ReadMembershipAsync(_cancel).ConfigureAwait(false);
        var whole = start.SilosRead == _options.Silos && end.SilosRead == _options.Silos && end.CpuSeconds >= start.CpuSeconds && end.MessagesSent >= start.MessagesSent;
        return new ClusterWindow(
            whole ? (end.CpuSeconds - start.CpuSeconds) / length.TotalSeconds : null,
            whole && lifecycles > 0 ? (double)(end.MessagesSent - start.MessagesSent) / lifecycles : null,
            whole && lifecycles > 0 ? (double)(end.LocalMessages - start.LocalMessages) / lifecycles : null,
            membership?.DeclaredDead,
            membership?.Suspected);
    }

    /// <summary>
    /// Interactions no desk saw finish that the engine has ended all the same (a desk's last answer lost while a silo
    /// went away, the end made by a wrap-up timer or a reconciliation): they are not left unfinished, and the audit
    /// still checks each one's history. Answers how many; each is noted on the interaction.
    /// </summary>
    private async Task<long> EndedUnseenAsync(InteractionLedger ledger, EngineClients clients)
    {
        long ended = 0;
        foreach (var tracked in ledger.Acknowledged.Where(t => t.CompletedBy is null).ToList())
        {
            var interaction = await EngineClients.CallAsync(new RunMetrics(), "GetInteraction", () =>
                clients.Routing.GetInteractionAsync(new GetInteractionRequest { InteractionId = tracked.Id }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: _cancel).ResponseAsync).ConfigureAwait(false);
            if (interaction?.State is InteractionState.Completed or InteractionState.Abandoned)
            {
                ended++;
                tracked.Note($"ended ({interaction.State}) by the engine with no desk seeing it");
            }
        }

        if (ended > 0)
        {
            Log($"{ended:N0} interaction(s) no desk saw finish were ended by the engine");
        }

        return ended;
    }

    private async Task SampleDuringAsync(InvariantAudit audit, TimeSpan length)
    {
        // A few GetAgent reads spread over the window: capacity as the engine reports it while under load.
        var random = new Random(_options.Seed);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed + TimeSpan.FromSeconds(5) < length)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), _cancel).ConfigureAwait(false);
            await audit.SampleAgentsAsync(20, random).ConfigureAwait(false);
        }
    }

    private async Task<CeilingResult> RunEchoCeilingAsync()
    {
        var o = _options;
        var dll = o.EchoDll ?? typeof(LoadRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "EchoServerAssemblyPath").Value!;
        Log($"ceiling: bare gRPC echo, {o.CeilingConcurrency} callers, {o.CeilingLength.TotalSeconds:0} s (dotnet {Path.GetFullPath(dll)})");
        var echoServer = await ServerProcess.StartAsync("echo server", Path.GetFullPath(dll), [$"--port={FreePorts.Take()}"]).ConfigureAwait(false);
        await using (echoServer.ConfigureAwait(false))
        {
            var echo = await EchoCeiling.RunAsync(echoServer.Address, o.CeilingConcurrency, o.CeilingLength, UnaryChannels).ConfigureAwait(false);
            Log($"  echo: {echo.PerSecond:N0}/s (p50 {echo.Latency.P50:0.00} ms, p99 {echo.Latency.P99:0.00} ms)");
            return echo;
        }
    }

    /// <summary>
    /// Warm-up ramps the rate from a tenth of it to all of it: a freshly started host is still compiling its hot
    /// paths and growing its thread pool, and a cold start at full rate builds a backlog that takes longer than the
    /// warm-up to clear. The measured window always runs at the full rate.
    /// </summary>
    private static ArrivalRate RampedUp(ArrivalRate rate, TimeSpan warmup) =>
        warmup <= TimeSpan.Zero ? rate : t => rate(t) * Math.Min(1, 0.1 + (0.9 * t.TotalSeconds / warmup.TotalSeconds));

    private ArrivalRate RateFor(double rate)
    {
        var o = _options;
        if (o.Scenario != Scenario.Burst)
        {
            return _ => rate;
        }

        // Bursts at the end of each period: the base rate, then the factor times it.
        return t => t.TotalSeconds % o.BurstPeriod.TotalSeconds >= o.BurstPeriod.TotalSeconds - o.BurstLength.TotalSeconds ? rate * o.BurstFactor : rate;
    }

    private static WindowFigures Window(
        RunMetrics m,
        TimeSpan length,
        double rate,
        ProcessReading? hostStart,
        ProcessReading? hostEnd,
        ProcessReading clientStart,
        ProcessReading clientEnd,
        DatabaseCounters? dbStart,
        DatabaseCounters? dbEnd)
    {
        var seconds = length.TotalSeconds;
        var routeToOffer = m.RouteToOffer.Total();
        var sendLag = m.SendLag.Total();
        return new WindowFigures(
            length,
            rate,
            sendLag.Count / seconds,
            m.Routed / seconds,
            m.Offers / seconds,
            m.Lifecycles / seconds,
            m.Rpcs / seconds,
            m.RpcCounts(),
            routeToOffer,
            m.RouteFromIntended.Total(),
            sendLag,
            m.Lifecycle.Total(),
            m.RpcLatencies(),
            hostStart is { } hs && hostEnd is { } he ? (he.CpuSeconds - hs.CpuSeconds) / seconds : null,
            (clientEnd.CpuSeconds - clientStart.CpuSeconds) / seconds,
            hostEnd?.RssBytes,
            dbStart is { } ds && dbEnd is { } de ? new DatabaseWindow((de.Commits - ds.Commits) / seconds, (de.Events - ds.Events) / seconds, (de.WalBytes - ds.WalBytes) / seconds) : null);
    }

    /// <summary>The host this repository builds in Release.</summary>
    internal static string DefaultHostDll(string root) =>
        Path.Combine(root, "src", "Omnichannel.Routing.Host", "bin", "Release", "net10.0", "Omnichannel.Routing.Host.dll");

    internal static async Task BuildHostAsync(string root, Action<string> log, CancellationToken cancel)
    {
        var project = Path.Combine(root, "src", "Omnichannel.Routing.Host");
        log($"building the engine host in Release (dotnet build {project} -c Release; --no-build skips this)");
        await ExternalCommand.RunAsync("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "q"], TimeSpan.FromMinutes(10), cancel: cancel).ConfigureAwait(false);
    }

    private static async Task Required<T>(string rpc, Func<Task<T>> call, RunState run)
        where T : class
    {
        // Setup must succeed; a transient refusal (the silo still warming) is retried a few times.
        for (var attempt = 1; ; attempt++)
        {
            if (await EngineClients.CallAsync(run.Metrics, rpc, call).ConfigureAwait(false) is not null)
            {
                return;
            }

            if (attempt == 5)
            {
                throw new InvalidOperationException($"{rpc} failed five times during setup: {string.Join(", ", run.Metrics.Errors().Select(e => $"{e.Rpc} {e.Code} x{e.Count}"))}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt)).ConfigureAwait(false);
        }
    }

    private ParallelOptions SetupParallelismOptions() => new() { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = _cancel };

    private static DateTime Deadline(int seconds) => DateTime.UtcNow.AddSeconds(seconds);

    private static string Kb(double? bytes) => bytes is { } b ? (b / 1024).ToString("N1", CultureInfo.InvariantCulture) : "?";

    private static string Mb(long? bytes) => bytes is { } b ? (b / (1024.0 * 1024)).ToString("N0", CultureInfo.InvariantCulture) : "?";

    private void Log(string line)
    {
        lock (_out)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }
}
