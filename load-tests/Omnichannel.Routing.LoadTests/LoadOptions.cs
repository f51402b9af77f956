using System.Globalization;

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
}

/// <summary>The command line, parsed. Every setting has a default that suits its scenario.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        usage: Omnichannel.Routing.LoadTests [options]

          --scenario steady|burst|hot-queue|scale   load shape (default steady)
          --rate N                 arrivals per second, open loop (default: steady 2000, burst 800, hot-queue 1000, scale 200)
          --duration 60s           measured time, after warm-up (per agent count in scale)
          --warmup 30s             time before measuring, the rate ramping up from a tenth; its figures are discarded
          --agents N               signed-in agents (default 2 x rate, at least 20; scale: --agent-counts)
          --agent-counts 500,5000,50000   scale: the agent counts to run, in order
          --queues N               queues (default agents / 100, at least 1)
          --channels chat:50,voice:30,email:20     channel mix of arrivals, in percent
          --handle-scale 1.0       multiplies the per-channel mean handle times (voice 1.2 s, chat 2.0 s, email 0.8 s)
          --think-ms 50            mean time an agent takes to accept an offer (uniform 0..2x)
          --wrap-ms 200            time an agent spends in wrap-up before ending it
          --burst-factor 3 --burst-seconds 2 --burst-every 10   burst: shape of the bursts
          --durable                start a PostgreSQL with durability on and the host in durable mode
          --postgres CONN          durable mode on this PostgreSQL (Npgsql connection string) instead
          --address URL            drive a running engine instead of starting one (no host memory figures)
          --host-pid PID           with --address: the host's process id, for memory and CPU figures
          --host-dll PATH          the engine host to start (default: found from Omnichannel.Routing.sln, built in Release)
          --echo-dll PATH          the echo server to start (default: built next to this program)
          --no-build               do not build the host first
          --host-arg ARG           extra argument for the host (repeatable), e.g. --host-arg=--Routing:ProposalTimeout=00:00:10
          --ceiling-seconds 10     length of each ceiling phase (bare echo, RouteInteraction at full speed; 0: none)
          --ceiling-concurrency 32 callers in flight during the ceiling phases
          --no-echo                skip the bare echo ceiling
          --pgbench-seconds 10     durable: length of the pgbench insert ceiling
          --drain-seconds 600      after the load: how long the desks may take to finish what is left (they stop
                                   sooner when nothing finished for 30 s)
          --audit-sample N         audit N routed interactions chosen at random (default 0: all of them)
          --progress-seconds 5     period of the progress line
          --report PATH            also write the Markdown report here
          --json PATH              also write the figures as JSON here
          --seed N                 random seed (default 1)
        """;

    public Scenario Scenario { get; private set; } = Scenario.Steady;

    public double? Rate { get; private set; }

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(60);

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(30);

    public int? Agents { get; private set; }

    public IReadOnlyList<int> AgentCounts { get; private set; } = [500, 5_000, 50_000];

    public int? Queues { get; private set; }

    public IReadOnlyList<(string Channel, double Percent)> ChannelMix { get; private set; } = [("chat", 50), ("voice", 30), ("email", 20)];

    public double HandleScale { get; private set; } = 1.0;

    public TimeSpan ThinkTime { get; private set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan WrapTime { get; private set; } = TimeSpan.FromMilliseconds(200);

    public double BurstFactor { get; private set; } = 3;

    public TimeSpan BurstLength { get; private set; } = TimeSpan.FromSeconds(2);

    public TimeSpan BurstPeriod { get; private set; } = TimeSpan.FromSeconds(10);

    public bool Durable { get; private set; }

    public string? Postgres { get; private set; }

    public string? Address { get; private set; }

    public int? HostPid { get; private set; }

    public string? HostDll { get; private set; }

    public string? EchoDll { get; private set; }

    public bool Build { get; private set; } = true;

    public IReadOnlyList<string> HostArgs { get; private set; } = [];

    public TimeSpan CeilingLength { get; private set; } = TimeSpan.FromSeconds(10);

    public int CeilingConcurrency { get; private set; } = 32;

    public bool Echo { get; private set; } = true;

    public TimeSpan PgbenchLength { get; private set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Drain { get; private set; } = TimeSpan.FromSeconds(600);

    public int AuditSample { get; private set; }

    public TimeSpan ProgressPeriod { get; private set; } = TimeSpan.FromSeconds(5);

    public string? ReportPath { get; private set; }

    public string? JsonPath { get; private set; }

    public int Seed { get; private set; } = 1;

    public bool IsDurable => Durable || Postgres is not null;

    /// <summary>The arrival rate, or the scenario's default.</summary>
    public double EffectiveRate => Rate ?? Scenario switch
    {
        Scenario.Burst => 800,
        Scenario.HotQueue => 1000,
        Scenario.Scale => 200,
        _ => 2000,
    };

    /// <summary>Agents for one run: as asked, or enough to keep about half of them free at the scenario's peak rate.</summary>
    public int AgentsFor(double rate) => Agents ?? Math.Max(20, (int)Math.Ceiling(2 * rate * (Scenario == Scenario.Burst ? BurstFactor / 2 : 1)));

    public int QueuesFor(int agents) => Queues ?? Math.Max(1, agents / 100);

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> with a message naming the option.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new LoadOptions();
        var hostArgs = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"{arg}: needs a value");
                }

                return args[++i];
            }

            switch (arg)
            {
                case "--scenario":
                    o.Scenario = Value() switch
                    {
                        "steady" => Scenario.Steady,
                        "burst" => Scenario.Burst,
                        "hot-queue" or "hot" => Scenario.HotQueue,
                        "scale" => Scenario.Scale,
                        var s => throw new ArgumentException($"--scenario: unknown scenario '{s}' (steady, burst, hot-queue, scale)"),
                    };
                    break;
                case "--rate": o.Rate = PositiveDouble(arg, Value()); break;
                case "--duration": o.Duration = ParseDuration(arg, Value()); break;
                case "--warmup": o.Warmup = ParseDuration(arg, Value(), allowZero: true); break;
                case "--agents": o.Agents = PositiveInt(arg, Value()); break;
                case "--agent-counts": o.AgentCounts = Value().Split(',').Select(v => PositiveInt(arg, v)).ToArray(); break;
                case "--queues": o.Queues = PositiveInt(arg, Value()); break;
                case "--channels": o.ChannelMix = Mix(arg, Value()); break;
                case "--handle-scale": o.HandleScale = PositiveDouble(arg, Value()); break;
                case "--think-ms": o.ThinkTime = TimeSpan.FromMilliseconds(NonNegativeDouble(arg, Value())); break;
                case "--wrap-ms": o.WrapTime = TimeSpan.FromMilliseconds(NonNegativeDouble(arg, Value())); break;
                case "--burst-factor": o.BurstFactor = PositiveDouble(arg, Value()); break;
                case "--burst-seconds": o.BurstLength = TimeSpan.FromSeconds(PositiveDouble(arg, Value())); break;
                case "--burst-every": o.BurstPeriod = TimeSpan.FromSeconds(PositiveDouble(arg, Value())); break;
                case "--durable": o.Durable = true; break;
                case "--postgres": o.Postgres = Value(); break;
                case "--address": o.Address = Value(); break;
                case "--host-pid": o.HostPid = PositiveInt(arg, Value()); break;
                case "--host-dll": o.HostDll = Value(); break;
                case "--echo-dll": o.EchoDll = Value(); break;
                case "--no-build": o.Build = false; break;
                case "--host-arg": hostArgs.Add(Value()); break;
                case "--ceiling-seconds": o.CeilingLength = TimeSpan.FromSeconds(NonNegativeDouble(arg, Value())); break;
                case "--ceiling-concurrency": o.CeilingConcurrency = PositiveInt(arg, Value()); break;
                case "--no-echo": o.Echo = false; break;
                case "--pgbench-seconds": o.PgbenchLength = TimeSpan.FromSeconds(NonNegativeDouble(arg, Value())); break;
                case "--drain-seconds": o.Drain = TimeSpan.FromSeconds(NonNegativeDouble(arg, Value())); break;
                case "--audit-sample": o.AuditSample = (int)NonNegativeDouble(arg, Value()); break;
                case "--progress-seconds": o.ProgressPeriod = TimeSpan.FromSeconds(PositiveDouble(arg, Value())); break;
                case "--report": o.ReportPath = Value(); break;
                case "--json": o.JsonPath = Value(); break;
                case "--seed": o.Seed = (int)NonNegativeDouble(arg, Value()); break;
                default: throw new ArgumentException($"{arg}: unknown option");
            }
        }

        o.HostArgs = hostArgs;
        if (o.Address is not null && (o.Durable || o.Postgres is not null))
        {
            throw new ArgumentException("--address: a running engine is used as it is; drop --durable/--postgres");
        }

        if (o.Scenario == Scenario.Scale && o.Address is not null)
        {
            throw new ArgumentException("--address: scale starts a fresh host per agent count, to measure each one's memory");
        }

        return o;
    }

    private static TimeSpan ParseDuration(string option, string value, bool allowZero = false)
    {
        var number = value;
        var unit = 1.0;
        if (value.EndsWith("ms", StringComparison.Ordinal))
        {
            number = value[..^2];
            unit = 0.001;
        }
        else if (value.EndsWith('s'))
        {
            number = value[..^1];
        }
        else if (value.EndsWith('m'))
        {
            number = value[..^1];
            unit = 60;
        }

        var seconds = NonNegativeDouble(option, number) * unit;
        if (seconds == 0 && !allowZero)
        {
            throw new ArgumentException($"{option}: must be more than zero");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static List<(string, double)> Mix(string option, string value)
    {
        var mix = new List<(string, double)>();
        foreach (var part in value.Split(','))
        {
            var pair = part.Split(':');
            if (pair.Length != 2 || !KnownChannels.Contains(pair[0]))
            {
                throw new ArgumentException($"{option}: '{part}' is not channel:percent with channel one of {string.Join(", ", KnownChannels)}");
            }

            mix.Add((pair[0], PositiveDouble(option, pair[1])));
        }

        return mix;
    }

    /// <summary>Channels the simulated contact centre staffs: a voice team and a digital team.</summary>
    public static readonly IReadOnlySet<string> KnownChannels = new HashSet<string>(StringComparer.Ordinal) { "voice", "chat", "email" };

    private static int PositiveInt(string option, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{option}: '{value}' is not a positive whole number");

    private static double PositiveDouble(string option, string value)
    {
        var d = NonNegativeDouble(option, value);
        return d > 0 ? d : throw new ArgumentException($"{option}: must be more than zero");
    }

    private static double NonNegativeDouble(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && double.IsFinite(d)
            ? d
            : throw new ArgumentException($"{option}: '{value}' is not a non-negative number");
}
