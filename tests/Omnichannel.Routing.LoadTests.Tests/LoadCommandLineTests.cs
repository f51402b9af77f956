namespace Omnichannel.Routing.LoadTests.Tests;

public sealed class LoadCommandLineTests
{
    private static LoadOptions Bind(string commandLine)
    {
        var line = new LoadCommandLine();
        var parse = line.Parse(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(parse.Errors.Count == 0, string.Join(" | ", parse.Errors.Select(e => e.Message)));
        return line.Bind(parse);
    }

    private static string Errors(string commandLine)
    {
        var parse = new LoadCommandLine().Parse(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.NotEmpty(parse.Errors);
        return string.Join(" | ", parse.Errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData("--scenario steady --rate 700 --duration 5m")]
    [InlineData("--scenario burst --rate 200 --duration 60s")]
    [InlineData("--scenario hot-queue --rate 400 --duration 60s")]
    [InlineData("--scenario hot-queue --shards 4 --rate 400 --duration 60s")]
    [InlineData("--scenario scale --rate 100 --duration 60s --agent-counts 500,5000,50000")]
    [InlineData("--scenario steady --durable --rate 150 --duration 60s")]
    [InlineData("--address http://127.0.0.1:50051 --host-pid 4242")]
    [InlineData("--address https://127.0.0.1:50051 --token-key 0123456789abcdef0123456789abcdef")]
    [InlineData("--agents 40 --queues 2 --channels chat:50,voice:30,email:20 --handle-scale 0.5")]
    [InlineData("--ceiling-seconds 0 --audit-sample 100 --no-echo --pgbench-seconds 5 --drain-seconds 60")]
    [InlineData("--host-dll /tmp/Omnichannel.Routing.Host.dll --echo-dll /tmp/echo.dll --no-build --postgres Host=x")]
    [InlineData("--burst-factor 4 --burst-seconds 1 --burst-every 5 --think-ms 10 --wrap-ms 20 --progress-seconds 1 --seed 7")]
    [InlineData("--report /tmp/r.md --json /tmp/r.json --warmup 0s")]
    [InlineData("--scenario scale --agent-counts 800,5000 --idle-settle 20s --idle-window 10s")]
    [InlineData("--scenario restart --waiting 10000 --agents 2000 --restarts 10 --max-connections 30 --pool-size 10")]
    public void Every_documented_command_line_parses(string commandLine)
    {
        Assert.NotNull(Bind(commandLine));
    }

    [Fact]
    public void The_restart_scenario_takes_its_waiting_count_restarts_and_connection_limits()
    {
        var options = Bind("--scenario restart --waiting 500 --agents 40 --restarts 3 --max-connections 25 --pool-size 8");

        Assert.Equal(Scenario.Restart, options.Scenario);
        Assert.Equal((500, 40, 3, 25, 8), (options.Waiting, options.Agents, options.Restarts, options.MaxConnections, options.PoolSize));
        Assert.Contains("restart kills and starts the host itself", Errors("--scenario restart --address http://127.0.0.1:50051"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_chaos_scenario_can_leave_the_cluster_alone_for_scale_out_and_saturation_runs()
    {
        var options = Bind("--scenario chaos --silos 2 --disruption none --rate 200 --duration 5m");

        Assert.Equal((Scenario.Chaos, 2, Disruption.None), (options.Scenario, options.Silos, options.Disruption));
        Assert.Equal(Disruption.Kill, Bind("--scenario chaos").Disruption);
    }

    [Fact]
    public void Options_not_given_keep_their_defaults()
    {
        var options = Bind(string.Empty);
        var defaults = new LoadOptions();
        Assert.Equal(Scenario.Steady, options.Scenario);
        Assert.Null(options.Rate);
        Assert.Equal(defaults.Duration, options.Duration);
        Assert.Equal(defaults.Warmup, options.Warmup);
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10)), (options.IdleSettle, options.IdleWindow));
        Assert.Equal(defaults.AgentCounts, options.AgentCounts);
        Assert.Equal(defaults.ChannelMix, options.ChannelMix);
        Assert.Equal(defaults.ThinkTime, options.ThinkTime);
        Assert.Equal(defaults.CeilingLength, options.CeilingLength);
        Assert.True(options.Build);
        Assert.True(options.Echo);
        Assert.Empty(options.HostArgs);
        Assert.Equal(1, options.Seed);
    }

    [Fact]
    public void The_smoke_run_reads_as_written()
    {
        var options = Bind("--scenario steady --rate 50 --agents 20 --duration 5s --warmup 1s --ceiling-seconds 1 --ceiling-concurrency 4 "
            + "--handle-scale 0.1 --think-ms 10 --wrap-ms 20 --progress-seconds 1 --idle-settle 0s --idle-window 1s --no-build --host-dll /x/Host.dll --report r.md --json r.json");
        Assert.Equal(50, options.Rate);
        Assert.Equal(20, options.Agents);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(1), options.CeilingLength);
        Assert.Equal(4, options.CeilingConcurrency);
        Assert.Equal(0.1, options.HandleScale);
        Assert.Equal(TimeSpan.FromMilliseconds(10), options.ThinkTime);
        Assert.Equal(TimeSpan.FromMilliseconds(20), options.WrapTime);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ProgressPeriod);
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(1)), (options.IdleSettle, options.IdleWindow));
        Assert.False(options.Build);
        Assert.Equal("/x/Host.dll", options.HostDll);
        Assert.Equal("r.md", options.ReportPath);
        Assert.Equal("r.json", options.JsonPath);
    }

    [Fact]
    public void The_idle_figure_waits_for_its_settle_and_measures_over_its_window_and_a_settle_of_zero_skips_the_wait()
    {
        var options = Bind("--idle-settle 45s --idle-window 1m");
        Assert.Equal((TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(1)), (options.IdleSettle, options.IdleWindow));
        Assert.Equal(TimeSpan.Zero, Bind("--idle-settle 0s").IdleSettle);
    }

    [Theory]
    [InlineData("60s", 60_000)]
    [InlineData("5m", 300_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("45", 45_000)]
    public void Durations_read_with_the_clis_grammar(string text, double milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Bind($"--duration {text}").Duration);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Bind($"--warmup {text}").Warmup);
    }

    [Fact]
    public void Scenario_hot_is_short_for_hot_queue_and_channels_and_counts_are_lists()
    {
        var options = Bind("--scenario hot --channels voice:70,email:30 --agent-counts 10,20");
        Assert.Equal(Scenario.HotQueue, options.Scenario);
        Assert.Equal([("voice", 70.0), ("email", 30.0)], options.ChannelMix);
        Assert.Equal([10, 20], options.AgentCounts);
    }

    [Fact]
    public void The_hot_queue_can_be_split_into_shards_and_only_the_hot_queue()
    {
        var options = Bind("--scenario hot-queue --shards 4");
        var model = new ContactCentreModel("run", 10, 3, [("chat", 100)], hotQueue: true, options.Shards);

        Assert.Equal(4, options.Shards);
        Assert.Equal(1, Bind("--scenario hot-queue").Shards);
        Assert.Equal((4, 1), (model.Queue(0).Shards, model.Queue(1).Shards));
        Assert.Contains("--shards: 1..64, for --scenario hot-queue", Errors("--scenario steady --shards 2"), StringComparison.Ordinal);
        Assert.Contains("--shards: 1..64, for --scenario hot-queue", Errors("--scenario hot-queue --shards 65"), StringComparison.Ordinal);
    }

    [Fact]
    public void Host_arguments_may_start_with_dashes_and_are_kept_in_order()
    {
        var options = Bind("--host-arg=--Routing:ProposalTimeout=00:00:10 --host-arg --Orleans:SiloPort=0");
        Assert.Equal(["--Routing:ProposalTimeout=00:00:10", "--Orleans:SiloPort=0"], options.HostArgs);
    }

    [Theory]
    [InlineData("--rate fast", "--rate: 'fast' is not a non-negative number")]
    [InlineData("--rate 0", "--rate: must be more than zero")]
    [InlineData("--duration 0s", "--duration: must be more than zero")]
    [InlineData("--duration soon", "--duration: 'soon' is not a duration")]
    [InlineData("--warmup -1s", "--warmup")]
    [InlineData("--idle-settle -1s", "--idle-settle")]
    [InlineData("--idle-settle later", "--idle-settle: 'later' is not a duration")]
    [InlineData("--idle-window 0s", "--idle-window: must be more than zero")]
    [InlineData("--scenario fast", "--scenario: unknown scenario 'fast'")]
    [InlineData("--scenario chaos --disruption maybe", "--disruption: unknown disruption 'maybe'")]
    [InlineData("--scenario chaos --silos 0", "--silos: '0' is not a positive whole number")]
    [InlineData("--scenario chaos --address http://127.0.0.1:50051", "--scenario chaos: runs its own local cluster")]
    [InlineData("--silos 3", "--silos, --disrupt-every and --disruption are for --scenario chaos")]
    [InlineData("--channels chat:50,fax:10", "--channels: 'fax:10' is not channel:percent")]
    [InlineData("--agent-counts 500,many", "--agent-counts: 'many' is not a positive whole number")]
    [InlineData("--agents 0", "--agents: '0' is not a positive whole number")]
    [InlineData("--address http://127.0.0.1:50051 --durable", "--address: a running engine is used as it is")]
    [InlineData("--scenario scale --address http://127.0.0.1:50051", "--address: scale starts a fresh host")]
    [InlineData("--token-key 0123456789abcdef0123456789abcdef", "--token-key: only with --address")]
    [InlineData("--rate 10 --bogus", "--bogus")]
    public void A_wrong_option_is_refused_with_its_name(string commandLine, string error)
    {
        Assert.Contains(error, Errors(commandLine), StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_key_is_kept_for_the_running_engine_it_drives()
    {
        Assert.Equal("0123456789abcdef0123456789abcdef", Bind("--address http://127.0.0.1:50051 --token-key 0123456789abcdef0123456789abcdef").TokenKey);
        Assert.Null(Bind("--rate 10").TokenKey);
    }

    [Fact]
    public async Task Help_lists_every_option_and_exits_zero()
    {
        using var output = new StringWriter();
        var exitCode = await LoadProgram.RunAsync(["--help"], output, CancellationToken.None);
        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--scenario", "--rate", "--duration", "--warmup", "--host-dll", "--host-arg", "--agent-counts", "--audit-sample", "--idle-settle", "--idle-window" })
        {
            Assert.Contains(option, output.ToString(), StringComparison.Ordinal);
        }
    }
}
