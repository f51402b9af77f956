using Grpc.Core;

namespace Omnichannel.Routing.LoadTests;

/// <summary>The machine the run measured.</summary>
/// <param name="Cpu">CPU model, from /proc/cpuinfo.</param>
/// <param name="Cores">Logical processors.</param>
/// <param name="MemoryBytes">Physical memory.</param>
/// <param name="Os">Operating system.</param>
/// <param name="Runtime">.NET runtime.</param>
internal sealed record MachineFigures(string Cpu, int Cores, long MemoryBytes, string Os, string Runtime)
{
    public static MachineFigures Read()
    {
        var cpu = "unknown";
        long memory = 0;
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            var total = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            memory = long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            // Not Linux: the report says unknown.
        }

        return new MachineFigures(cpu, Environment.ProcessorCount, memory, System.Runtime.InteropServices.RuntimeInformation.OSDescription, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
    }
}

/// <summary>How long it took to get the centre staffed.</summary>
/// <param name="Agents">Agents defined, signed in and holding a stream.</param>
/// <param name="Queues">Queues defined.</param>
/// <param name="Define">UpsertQueue and UpsertAgent for all of them.</param>
/// <param name="SignIn">SignIn for every agent.</param>
/// <param name="StreamsLive">Every desk's WatchOffers stream open and its first status received.</param>
/// <param name="HostRssAfterSignIn">Host resident memory once all were signed in, before any load.</param>
/// <param name="HostIdleCpuCores">Host CPU (cores) while idle with every agent signed in and streaming.</param>
/// <param name="IdleSettle">How long the idle host was left alone before its CPU was measured.</param>
/// <param name="IdleWindow">How long its idle CPU was measured over.</param>
internal sealed record SetupFigures(int Agents, int Queues, TimeSpan Define, TimeSpan SignIn, TimeSpan StreamsLive, long? HostRssAfterSignIn, double? HostIdleCpuCores, TimeSpan IdleSettle, TimeSpan IdleWindow);

/// <summary>What PostgreSQL did per second during the measured window (durable mode).</summary>
/// <param name="CommitsPerSecond">Transactions committed in the routing database, per second.</param>
/// <param name="EventsPerSecond">Rows appended to the event log, per second.</param>
/// <param name="WalBytesPerSecond">Write-ahead log written, bytes per second (the whole server; nothing else writes during the window).</param>
internal sealed record DatabaseWindow(double CommitsPerSecond, double EventsPerSecond, double WalBytesPerSecond);

/// <summary>The measured window: throughput, latency and resources (the host's allocation and collections when its metrics endpoint is known).</summary>
internal sealed record WindowFigures(
    TimeSpan Length,
    double TargetRate,
    double SentPerSecond,
    double RoutedPerSecond,
    double OffersPerSecond,
    double LifecyclesPerSecond,
    double RpcsPerSecond,
    IReadOnlyDictionary<string, long> RpcCounts,
    LatencySummary RouteToOffer,
    LatencySummary RouteFromIntended,
    LatencySummary SendLag,
    LatencySummary Lifecycle,
    IReadOnlyDictionary<string, LatencySummary> Rpcs,
    double? HostCpuCores,
    double ClientCpuCores,
    long? HostRssEnd,
    DatabaseWindow? Database,
    RuntimeWindow? HostRuntime = null);

/// <summary>Failures of one phase, by RPC and status code.</summary>
internal sealed record PhaseErrors(string Phase, IReadOnlyList<(string Rpc, StatusCode Code, long Count)> Errors, IReadOnlyDictionary<string, long> Counters);

/// <summary>One run of the load against one host: a scenario, or one agent count of the scale curve.</summary>
internal sealed record PointResult(
    string Label,
    SetupFigures Setup,
    WindowFigures Window,
    CeilingResult? RouteCeiling,
    AuditResult Audit,
    IReadOnlyList<PhaseErrors> Errors,
    long? HostPeakRss,
    int HostWarnings,
    string HostWarningSample,
    TimeSpan DrainTook,
    long LeftUnfinished,
    ChaosFigures? Chaos = null);

/// <summary>What the chaos scenario did to the cluster and how routing bore it.</summary>
/// <param name="Disruption">How silos were taken away.</param>
/// <param name="Outages">Each silo taken away, in order.</param>
/// <param name="LongestQueueGap">The longest any queue went without an offer in the measured window.</param>
/// <param name="LongestGapQueue">That queue.</param>
/// <param name="SiloRss">Each silo's resident memory at the window's end, in silo order.</param>
/// <param name="Cluster">What the silos did over the window.</param>
internal sealed record ChaosFigures(Disruption Disruption, IReadOnlyList<SiloOutage> Outages, TimeSpan LongestQueueGap, string? LongestGapQueue, IReadOnlyList<long?> SiloRss, ClusterWindow? Cluster = null);

/// <summary>What the silos of a local cluster did over the measured window.</summary>
/// <param name="SiloCpuCores">CPU of all silos together, in cores (null when a silo was restarted or could not be read).</param>
/// <param name="MessagesPerLifecycle">Orleans messages sent between silos per completed lifecycle (null likewise).</param>
/// <param name="LocalMessagesPerLifecycle">Orleans messages between grains of one silo per completed lifecycle (null likewise).</param>
/// <param name="DeclaredDead">Silo incarnations the membership table marks dead at the end (null when it could not be read).</param>
/// <param name="Suspected">Incarnations some silo suspected (missed probes) at least once (null likewise).</param>
internal sealed record ClusterWindow(double? SiloCpuCores, double? MessagesPerLifecycle, double? LocalMessagesPerLifecycle, int? DeclaredDead, int? Suspected);

/// <summary>Everything one invocation of the program measured.</summary>
internal sealed record RunResult(
    string Scenario,
    string Mode,
    string CommandLine,
    DateTimeOffset Started,
    TimeSpan Took,
    MachineFigures Machine,
    double? LoadAverageBefore,
    double? LoadAverageAfter,
    IReadOnlyList<PointResult> Points,
    CeilingResult? Echo,
    PgbenchResult? Pgbench)
{
    public bool Passed => Points.All(p => p.Audit.Passed);
}
