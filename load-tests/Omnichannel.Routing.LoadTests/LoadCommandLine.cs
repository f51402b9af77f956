using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using Omnichannel.Routing.Cli.CommandLine;

namespace Omnichannel.Routing.LoadTests;

/// <summary>
/// The load program's command line, declared for System.CommandLine: typed options, their help, and the checks
/// between them. <see cref="Bind"/> turns a parse into <see cref="LoadOptions"/>; an option that is not given keeps
/// its default there. Durations (<c>--duration 60s</c>, <c>--warmup 500ms</c>) read as the CLI's do
/// (<see cref="DurationText"/>).
/// </summary>
internal sealed class LoadCommandLine
{
    /// <summary>The program's name, as help shows it.</summary>
    public const string Name = "Omnichannel.Routing.LoadTests";

    private readonly Option<Scenario?> _scenario = new("--scenario")
    {
        Description = "load shape (default steady)",
        HelpName = "steady|burst|hot-queue|scale|chaos|restart",
        CustomParser = ParseScenario,
    };

    private readonly Option<int?> _waiting = new("--waiting")
    {
        Description = "restart: interactions left waiting, beyond one held by each agent (default 10000)",
        HelpName = "N",
        CustomParser = r => PositiveInteger(r, Last(r)),
    };

    private readonly Option<int?> _shards = new("--shards")
    {
        Description = "hot-queue: split the hot queue into N shards, 1..64 (default 1, unsharded)",
        HelpName = "N",
        CustomParser = r => PositiveInteger(r, Last(r)),
    };

    private readonly Option<int?> _restarts = new("--restarts")
    {
        Description = "restart: SIGKILL-and-start cycles to measure (default 10)",
        HelpName = "N",
        CustomParser = r => PositiveInteger(r, Last(r)),
    };

    private readonly Option<int?> _maxConnections = new("--max-connections")
    {
        Description = "restart: max_connections of the throwaway PostgreSQL (default 30)",
        HelpName = "N",
        CustomParser = r => PositiveInteger(r, Last(r)),
    };

    private readonly Option<int?> _poolSize = new("--pool-size")
    {
        Description = "restart: Maximum Pool Size in the host's connection string (default 10)",
        HelpName = "N",
        CustomParser = r => PositiveInteger(r, Last(r)),
    };

    private readonly Option<double?> _rate = new("--rate")
    {
        Description = "arrivals per second, open loop (default: steady 2000, burst 800, hot-queue 1000, scale 200, chaos 50)",
        HelpName = "N",
        CustomParser = PositiveNumber,
    };

    private readonly Option<TimeSpan?> _duration = new("--duration")
    {
        Description = "measured time, after warm-up (per agent count in scale; default 60s)",
        HelpName = "60s",
        CustomParser = r => DurationText.ParsePositive(r),
    };

    private readonly Option<TimeSpan?> _warmup = new("--warmup")
    {
        Description = "time before measuring, the rate ramping up from a tenth; its figures are discarded (default 30s)",
        HelpName = "30s",
        CustomParser = r => DurationText.Parse(r),
    };

    private readonly Option<TimeSpan?> _idleSettle = new("--idle-settle")
    {
        Description = "after sign-in, with every offer stream open: time the host is left alone before its idle CPU is measured, so JIT and tiering are over (0s: measure at once; default 20s)",
        HelpName = "20s",
        CustomParser = r => DurationText.Parse(r),
    };

    private readonly Option<TimeSpan?> _idleWindow = new("--idle-window")
    {
        Description = "how long the settled host's idle CPU is measured over (default 10s)",
        HelpName = "10s",
        CustomParser = r => DurationText.ParsePositive(r),
    };

    private readonly Option<int?> _agents = new("--agents")
    {
        Description = "signed-in agents (default 2 x rate, at least 20; scale: --agent-counts)",
        HelpName = "N",
        CustomParser = r => PositiveInteger(r, Last(r)),
    };

    private readonly Option<IReadOnlyList<int>> _agentCounts = new("--agent-counts")
    {
        Description = "scale: the agent counts to run, in order (default 500,5000,50000)",
        HelpName = "500,5000,50000",
        CustomParser = r => [.. Last(r).Split(',').Select(count => PositiveInteger(r, count))],
    };

    private readonly Option<int?> _queues = new("--queues")
    {
        Description = "queues (default agents / 100, at least 1)",
        HelpName = "N",
        CustomParser = r => PositiveInteger(r, Last(r)),
    };

    private readonly Option<IReadOnlyList<(string Channel, double Percent)>> _channels = new("--channels")
    {
        Description = "channel mix of arrivals, in percent (default chat:50,voice:30,email:20)",
        HelpName = "chat:50,voice:30,email:20",
        CustomParser = ParseMix,
    };

    private readonly Option<double?> _handleScale = new("--handle-scale")
    {
        Description = "multiplies the per-channel mean handle times (voice 1.2 s, chat 2.0 s, email 0.8 s; default 1.0)",
        HelpName = "1.0",
        CustomParser = PositiveNumber,
    };

    private readonly Option<double?> _thinkMs = new("--think-ms")
    {
        Description = "mean time an agent takes to accept an offer (uniform 0..2x; default 50)",
        HelpName = "50",
        CustomParser = Number,
    };

    private readonly Option<double?> _wrapMs = new("--wrap-ms")
    {
        Description = "time an agent spends in wrap-up before ending it (default 200)",
        HelpName = "200",
        CustomParser = Number,
    };

    private readonly Option<double?> _burstFactor = new("--burst-factor")
    {
        Description = "burst: the bursts' rate as a multiple of the base rate (default 3)",
        HelpName = "3",
        CustomParser = PositiveNumber,
    };

    private readonly Option<double?> _burstSeconds = new("--burst-seconds")
    {
        Description = "burst: length of each burst (default 2)",
        HelpName = "2",
        CustomParser = PositiveNumber,
    };

    private readonly Option<double?> _burstEvery = new("--burst-every")
    {
        Description = "burst: seconds from one burst to the next (default 10)",
        HelpName = "10",
        CustomParser = PositiveNumber,
    };

    private readonly Option<bool> _durable = new("--durable") { Description = "start a PostgreSQL with durability on and the host in durable mode" };

    private readonly Option<string> _postgres = new("--postgres")
    {
        Description = "durable mode on this PostgreSQL (Npgsql connection string) instead",
        HelpName = "CONN",
    };

    private readonly Option<string> _address = new("--address")
    {
        Description = "drive a running engine instead of starting one (no host memory figures)",
        HelpName = "URL",
    };

    private readonly Option<int?> _hostPid = new("--host-pid")
    {
        Description = "with --address: the host's process id, for memory and CPU figures",
        HelpName = "PID",
        CustomParser = r => PositiveInteger(r, Last(r)),
    };

    private readonly Option<string> _tokenKey = new("--token-key")
    {
        Description = "with --address: the engine's development signing key (Auth:SigningKey, issuer omnichannel-dev); each call carries a token of the role its service admits. The host the program starts itself gets a key of its own",
        HelpName = "KEY",
    };

    private readonly Option<string> _hostDll = new("--host-dll")
    {
        Description = "the engine host to start (default: found from Omnichannel.Routing.sln, built in Release)",
        HelpName = "PATH",
    };

    private readonly Option<string> _echoDll = new("--echo-dll")
    {
        Description = "the echo server to start (default: built next to this program)",
        HelpName = "PATH",
    };

    private readonly Option<bool> _noBuild = new("--no-build") { Description = "do not build the host first" };

    private readonly Option<string[]> _hostArgs = new("--host-arg")
    {
        Description = "extra argument for the host (repeatable), e.g. --host-arg=--Routing:ProposalTimeout=00:00:10",
        HelpName = "ARG",
    };

    private readonly Option<double?> _ceilingSeconds = new("--ceiling-seconds")
    {
        Description = "length of each ceiling phase (bare echo, RouteInteraction at full speed; 0: none; default 10)",
        HelpName = "10",
        CustomParser = Number,
    };

    private readonly Option<int?> _ceilingConcurrency = new("--ceiling-concurrency")
    {
        Description = "callers in flight during the ceiling phases (default 32)",
        HelpName = "32",
        CustomParser = r => PositiveInteger(r, Last(r)),
    };

    private readonly Option<bool> _noEcho = new("--no-echo") { Description = "skip the bare echo ceiling" };

    private readonly Option<double?> _pgbenchSeconds = new("--pgbench-seconds")
    {
        Description = "durable: length of the pgbench insert ceiling (default 10)",
        HelpName = "10",
        CustomParser = Number,
    };

    private readonly Option<double?> _drainSeconds = new("--drain-seconds")
    {
        Description = "after the load: how long the desks may take to finish what is left (they stop sooner when nothing finished for 30 s; default 600)",
        HelpName = "600",
        CustomParser = Number,
    };

    private readonly Option<int?> _auditSample = new("--audit-sample")
    {
        Description = "audit N routed interactions chosen at random (default 0: all of them)",
        HelpName = "N",
        CustomParser = r => (int?)Number(r),
    };

    private readonly Option<double?> _progressSeconds = new("--progress-seconds")
    {
        Description = "period of the progress line (default 5)",
        HelpName = "5",
        CustomParser = PositiveNumber,
    };

    private readonly Option<string> _report = new("--report") { Description = "also write the Markdown report here", HelpName = "PATH" };

    private readonly Option<string> _json = new("--json") { Description = "also write the figures as JSON here", HelpName = "PATH" };

    private readonly Option<int?> _silos = new("--silos")
    {
        Description = "chaos: silos of the local cluster started with deploy/local-cluster.sh (default 3)",
        HelpName = "3",
        CustomParser = r => PositiveInteger(r, Last(r)),
    };

    private readonly Option<TimeSpan?> _disruptEvery = new("--disrupt-every")
    {
        Description = "chaos: time between one silo's restart and the next disruption (default: a random 20-30s)",
        HelpName = "25s",
        CustomParser = r => DurationText.ParsePositive(r),
    };

    private readonly Option<Disruption?> _disruption = new("--disruption")
    {
        Description = "chaos: kill (SIGKILL, a crash), term (SIGTERM, a rolling restart) or none (the cluster under load, nothing taken away: scale-out and saturation runs); default kill",
        HelpName = "kill|term|none",
        CustomParser = ParseDisruption,
    };

    private readonly Option<int?> _seed = new("--seed")
    {
        Description = "random seed (default 1)",
        HelpName = "N",
        CustomParser = r => (int?)Number(r),
    };

    public LoadCommandLine()
    {
        Command = new Command(Name, "The engine's load program: simulated desktops and front-ends at an open-loop arrival rate, ceilings measured in the same run, an invariant audit at the end.")
        {
            _scenario, _rate, _duration, _warmup, _idleSettle, _idleWindow, _agents, _agentCounts, _queues, _channels, _handleScale, _thinkMs, _wrapMs,
            _burstFactor, _burstSeconds, _burstEvery, _durable, _postgres, _address, _hostPid, _tokenKey, _hostDll, _echoDll, _noBuild,
            _hostArgs, _ceilingSeconds, _ceilingConcurrency, _noEcho, _pgbenchSeconds, _drainSeconds, _auditSample,
            _progressSeconds, _report, _json, _seed, _silos, _disruptEvery, _disruption, _waiting, _restarts, _maxConnections, _poolSize,
            _shards, new HelpOption(),
        };
        Command.Validators.Add(result =>
        {
            var address = result.GetValue(_address) is not null;
            var scenario = ScenarioOf(result);
            if (address && (result.GetValue(_durable) || result.GetValue(_postgres) is not null))
            {
                result.AddError("--address: a running engine is used as it is; drop --durable/--postgres");
            }

            if (!address && result.GetValue(_tokenKey) is not null)
            {
                result.AddError("--token-key: only with --address; the host the program starts makes its own key");
            }

            if (address && scenario == Scenario.Scale)
            {
                result.AddError("--address: scale starts a fresh host per agent count, to measure each one's memory");
            }

            if (scenario == Scenario.Chaos && (address || result.GetValue(_durable) || result.GetValue(_postgres) is not null || result.GetValue(_hostDll) is not null))
            {
                result.AddError("--scenario chaos: runs its own local cluster (deploy/local-cluster.sh, durable on its own PostgreSQL); drop --address/--durable/--postgres/--host-dll");
            }

            if (scenario != Scenario.Chaos && (result.GetResult(_silos) is not null || result.GetResult(_disruptEvery) is not null || result.GetResult(_disruption) is not null))
            {
                result.AddError("--silos, --disrupt-every and --disruption are for --scenario chaos");
            }

            if (address && scenario == Scenario.Restart)
            {
                result.AddError("--address: restart kills and starts the host itself");
            }

            if (result.GetResult(_shards) is not null && (scenario != Scenario.HotQueue || result.GetValue(_shards) is > 64))
            {
                result.AddError("--shards: 1..64, for --scenario hot-queue");
            }
        });
    }

    /// <summary>The scenario asked for; null when none was given or it is not one (its own error says so).</summary>
    private Scenario? ScenarioOf(CommandResult result)
    {
        try
        {
            return result.GetValue(_scenario);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The root command: every option, and its help.</summary>
    public Command Command { get; }

    /// <summary>Parses <paramref name="args"/>; <c>@file</c> is an ordinary value, not a response file.</summary>
    public ParseResult Parse(IReadOnlyList<string> args) =>
        Command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>The options of a parse without errors; what was not given keeps its default.</summary>
    public LoadOptions Bind(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var defaults = new LoadOptions();
        return new LoadOptions
        {
            Scenario = parse.GetValue(_scenario) ?? defaults.Scenario,
            Rate = parse.GetValue(_rate),
            Duration = parse.GetValue(_duration) ?? defaults.Duration,
            Warmup = parse.GetValue(_warmup) ?? defaults.Warmup,
            IdleSettle = parse.GetValue(_idleSettle) ?? defaults.IdleSettle,
            IdleWindow = parse.GetValue(_idleWindow) ?? defaults.IdleWindow,
            Agents = parse.GetValue(_agents),
            AgentCounts = parse.GetValue(_agentCounts) ?? defaults.AgentCounts,
            Queues = parse.GetValue(_queues),
            ChannelMix = parse.GetValue(_channels) ?? defaults.ChannelMix,
            HandleScale = parse.GetValue(_handleScale) ?? defaults.HandleScale,
            ThinkTime = parse.GetValue(_thinkMs) is { } think ? TimeSpan.FromMilliseconds(think) : defaults.ThinkTime,
            WrapTime = parse.GetValue(_wrapMs) is { } wrap ? TimeSpan.FromMilliseconds(wrap) : defaults.WrapTime,
            BurstFactor = parse.GetValue(_burstFactor) ?? defaults.BurstFactor,
            BurstLength = parse.GetValue(_burstSeconds) is { } burst ? TimeSpan.FromSeconds(burst) : defaults.BurstLength,
            BurstPeriod = parse.GetValue(_burstEvery) is { } every ? TimeSpan.FromSeconds(every) : defaults.BurstPeriod,
            Durable = parse.GetValue(_durable),
            Postgres = parse.GetValue(_postgres),
            Address = parse.GetValue(_address),
            HostPid = parse.GetValue(_hostPid),
            HostDll = parse.GetValue(_hostDll),
            EchoDll = parse.GetValue(_echoDll),
            Build = !parse.GetValue(_noBuild),
            HostArgs = parse.GetValue(_hostArgs) ?? [],
            TokenKey = parse.GetValue(_tokenKey),
            CeilingLength = parse.GetValue(_ceilingSeconds) is { } ceiling ? TimeSpan.FromSeconds(ceiling) : defaults.CeilingLength,
            CeilingConcurrency = parse.GetValue(_ceilingConcurrency) ?? defaults.CeilingConcurrency,
            Echo = !parse.GetValue(_noEcho),
            PgbenchLength = parse.GetValue(_pgbenchSeconds) is { } pgbench ? TimeSpan.FromSeconds(pgbench) : defaults.PgbenchLength,
            Drain = parse.GetValue(_drainSeconds) is { } drain ? TimeSpan.FromSeconds(drain) : defaults.Drain,
            AuditSample = parse.GetValue(_auditSample) ?? defaults.AuditSample,
            ProgressPeriod = parse.GetValue(_progressSeconds) is { } progress ? TimeSpan.FromSeconds(progress) : defaults.ProgressPeriod,
            ReportPath = parse.GetValue(_report),
            JsonPath = parse.GetValue(_json),
            Seed = parse.GetValue(_seed) ?? defaults.Seed,
            Silos = parse.GetValue(_silos) ?? defaults.Silos,
            DisruptEvery = parse.GetValue(_disruptEvery),
            Disruption = parse.GetValue(_disruption) ?? defaults.Disruption,
            Waiting = parse.GetValue(_waiting) ?? defaults.Waiting,
            Restarts = parse.GetValue(_restarts) ?? defaults.Restarts,
            Shards = parse.GetValue(_shards) ?? defaults.Shards,
            MaxConnections = parse.GetValue(_maxConnections) ?? defaults.MaxConnections,
            PoolSize = parse.GetValue(_poolSize) ?? defaults.PoolSize,
        };
    }

    private static Scenario? ParseScenario(ArgumentResult result)
    {
        switch (Last(result))
        {
            case "steady":
                return Scenario.Steady;
            case "burst":
                return Scenario.Burst;
            case "hot-queue" or "hot":
                return Scenario.HotQueue;
            case "scale":
                return Scenario.Scale;
            case "chaos":
                return Scenario.Chaos;
            case "restart":
                return Scenario.Restart;
            case var other:
                result.AddError($"--scenario: unknown scenario '{other}' (steady, burst, hot-queue, scale, chaos, restart)");
                return null;
        }
    }

    private static Disruption? ParseDisruption(ArgumentResult result)
    {
        switch (Last(result))
        {
            case "kill":
                return Disruption.Kill;
            case "term":
                return Disruption.Term;
            case "none":
                return Disruption.None;
            case var other:
                result.AddError($"--disruption: unknown disruption '{other}' (kill, term, none)");
                return null;
        }
    }

    private static List<(string Channel, double Percent)> ParseMix(ArgumentResult result)
    {
        var mix = new List<(string, double)>();
        foreach (var part in Last(result).Split(','))
        {
            var pair = part.Split(':');
            if (pair.Length != 2 || !LoadOptions.KnownChannels.Contains(pair[0]))
            {
                result.AddError($"--channels: '{part}' is not channel:percent with channel one of {string.Join(", ", LoadOptions.KnownChannels)}");
                continue;
            }

            mix.Add((pair[0], Positive(result, NonNegative(result, pair[1])) ?? 0));
        }

        return mix;
    }

    private static string Last(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;

    /// <summary>The option's value as a non-negative number; null (and an error) when it is not one.</summary>
    private static double? Number(ArgumentResult result) => NonNegative(result, Last(result));

    /// <summary>The option's value as a number more than zero; null (and an error) when it is not one.</summary>
    private static double? PositiveNumber(ArgumentResult result) => Positive(result, Number(result));

    private static double? NonNegative(ArgumentResult result, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value))
        {
            return value;
        }

        result.AddError($"{OptionName(result)}: '{text}' is not a non-negative number");
        return null;
    }

    private static double? Positive(ArgumentResult result, double? value)
    {
        if (value <= 0)
        {
            result.AddError($"{OptionName(result)}: must be more than zero");
        }

        return value;
    }

    private static int PositiveInteger(ArgumentResult result, string text)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        result.AddError($"{OptionName(result)}: '{text}' is not a positive whole number");
        return 1;
    }
}
