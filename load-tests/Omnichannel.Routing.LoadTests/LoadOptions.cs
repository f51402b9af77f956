namespace Omnichannel.Routing.LoadTests;

/// <summary>The load shapes the program knows.</summary>
internal enum Scenario
{
    /// <summary>A constant arrival rate across every queue.</summary>
    Steady,

    /// <summary>A base rate with periodic bursts of several times that rate.</summary>
    Burst,

    /// <summary>Every arrival goes to one queue, which every agent serves.</summary>
    HotQueue,

    /// <summary>The steady load repeated with more and more signed-in agents (and queues to match).</summary>
    Scale,

    /// <summary>A steady load through every silo of a local cluster while one silo at a time is killed and restarted.</summary>
    Chaos,

    /// <summary>A durable host with many waiting and every agent holding work, SIGKILLed and restarted: seconds to SERVING.</summary>
    Restart,
}

/// <summary>
/// The command line, parsed (by <see cref="LoadCommandLine"/>). Every setting has a default that suits its scenario;
/// the initial values here are those defaults.
/// </summary>
internal sealed record LoadOptions
{
    /// <summary>Channels the simulated contact centre staffs: a voice team and a digital team.</summary>
    public static readonly IReadOnlySet<string> KnownChannels = new HashSet<string>(StringComparer.Ordinal) { "voice", "chat", "email" };

    public Scenario Scenario { get; init; } = Scenario.Steady;

    public double? Rate { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(30);

    public int? Agents { get; init; }

    /// <summary>
    /// How long the host is left alone, every agent signed in and streaming, before its idle CPU is measured: right
    /// after sign-in the JIT and tiered compilation still run, and the figure would be theirs. Zero measures at once.
    /// </summary>
    public TimeSpan IdleSettle { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the settled, idle host's CPU is measured over.</summary>
    public TimeSpan IdleWindow { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<int> AgentCounts { get; init; } = [500, 5_000, 50_000];

    public int? Queues { get; init; }

    public IReadOnlyList<(string Channel, double Percent)> ChannelMix { get; init; } = [("chat", 50), ("voice", 30), ("email", 20)];

    public double HandleScale { get; init; } = 1.0;

    public TimeSpan ThinkTime { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan WrapTime { get; init; } = TimeSpan.FromMilliseconds(200);

    public double BurstFactor { get; init; } = 3;

    public TimeSpan BurstLength { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan BurstPeriod { get; init; } = TimeSpan.FromSeconds(10);

    public bool Durable { get; init; }

    public string? Postgres { get; init; }

    public string? Address { get; init; }

    public int? HostPid { get; init; }

    /// <summary>With <see cref="Address"/>: the engine's development signing key, to mint each role's tokens from.</summary>
    public string? TokenKey { get; init; }

    public string? HostDll { get; init; }

    public string? EchoDll { get; init; }

    public bool Build { get; init; } = true;

    public IReadOnlyList<string> HostArgs { get; init; } = [];

    public TimeSpan CeilingLength { get; init; } = TimeSpan.FromSeconds(10);

    public int CeilingConcurrency { get; init; } = 32;

    public bool Echo { get; init; } = true;

    public TimeSpan PgbenchLength { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(600);

    public int AuditSample { get; init; }

    public TimeSpan ProgressPeriod { get; init; } = TimeSpan.FromSeconds(5);

    public string? ReportPath { get; init; }

    public string? JsonPath { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>Chaos: silos of the local cluster.</summary>
    public int Silos { get; init; } = 3;

    /// <summary>Chaos: time between disruptions; null for a random 20–30 s.</summary>
    public TimeSpan? DisruptEvery { get; init; }

    /// <summary>Chaos: how a silo is taken away.</summary>
    public Disruption Disruption { get; init; } = Disruption.Kill;

    /// <summary>Restart: interactions left waiting (beyond the one each agent holds).</summary>
    public int Waiting { get; init; } = 10_000;

    /// <summary>Hot-queue: how many shards the hot queue is split into (1: unsharded).</summary>
    public int Shards { get; init; } = 1;

    /// <summary>Restart: how many times the host is SIGKILLed and started again.</summary>
    public int Restarts { get; init; } = 10;

    /// <summary>Restart: PostgreSQL's max_connections for the throwaway server.</summary>
    public int MaxConnections { get; init; } = 30;

    /// <summary>Restart: Npgsql's Maximum Pool Size in the host's connection string (each of its pools).</summary>
    public int PoolSize { get; init; } = 10;

    public bool IsDurable => Durable || Postgres is not null;

    /// <summary>The arrival rate, or the scenario's default.</summary>
    public double EffectiveRate => Rate ?? Scenario switch
    {
        Scenario.Burst => 800,
        Scenario.HotQueue => 1000,
        Scenario.Scale => 200,
        Scenario.Chaos => 50,
        _ => 2000,
    };

    /// <summary>Agents for one run: as asked, or enough to keep about half of them free at the scenario's peak rate.</summary>
    public int AgentsFor(double rate) => Agents ?? Math.Max(20, (int)Math.Ceiling(2 * rate * (Scenario == Scenario.Burst ? BurstFactor / 2 : 1)));

    public int QueuesFor(int agents) => Queues ?? Math.Max(1, agents / 100);
}
