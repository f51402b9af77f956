using System.CommandLine.Help;
using static Omnichannel.Routing.Cli.Tests.CommandLine.ParsedCommands;

namespace Omnichannel.Routing.Cli.Tests.CommandLine;

public sealed class OmnichannelCommandTests
{
    /// <summary>Every command with every option it has, spelled as README and help spell them.</summary>
    public static TheoryData<string, string> EveryCommand => new()
    {
        { "health", "health" },
        { "health --service omnichannel.routing.v1.RoutingService", "health" },
        { "services", "services" },
        { "config load src/Omnichannel.Routing.Host/demo-configuration.json", "config load" },
        { "queues list", "queues list" },
        { "queues get support", "queues get" },
        { "queues stats", "queues stats" },
        { "queues stats support sales", "queues stats" },
        { "queues watch", "queues watch" },
        { "queues watch support sales", "queues watch" },
        { "agents list", "agents list" },
        { "agents list --queue support", "agents list" },
        { "agents get alice", "agents get" },
        { "agents occupancy", "agents occupancy" },
        { "agents occupancy alice", "agents occupancy" },
        { "agents occupancy --queue support", "agents occupancy" },
        { "agents watch", "agents watch" },
        { "agents watch --queue support", "agents watch" },
        { "agents watch alice bob", "agents watch" },
        { "route --queue support --channel chat --customer cust-42 --skill english:5 --context order=A-1001 --request-id demo-1", "route" },
        { "route --queue support --channel chat --customer maria --preferred-agent alice --context order=A-1001 --context topic=late-delivery", "route" },
        { "route --queue support --channel voice --customer maria --prefer-last-agent --preferred-wait 30s --context topic=delivery-call", "route" },
        { "route --queue support --channel chat --customer maria --priority 900 --preferred-skill billing --preferred-skill spanish", "route" },
        { "interaction get 3f0c", "interaction get" },
        { "interaction watch 3f0c", "interaction watch" },
        { "interaction cancel 3f0c --reason hung-up", "interaction cancel" },
        { "interaction transfer 3f0c --agent bob --warm", "interaction transfer" },
        { "interaction transfer 3f0c --queue sales --reason vip --context tier=gold --by-agent alice", "interaction transfer" },
        { "customer journey maria", "customer journey" },
        { "customer journey maria --page-size 20", "customer journey" },
        { "customer upsert maria --name Maria --attribute tier=gold --attribute lang=es", "customer upsert" },
        { "agent sign-in alice", "agent sign-in" },
        { "agent sign-in alice --away", "agent sign-in" },
        { "agent sign-out alice --reason lunch", "agent sign-out" },
        { "agent presence alice away", "agent presence" },
        { "agent presence alice AVAILABLE", "agent presence" },
        { "agent offers alice", "agent offers" },
        { "agent offers alice --auto-accept --complete-after 1s --wrap-up-after 1s", "agent offers" },
        { "agent offers alice --auto-accept --disposition resolved", "agent offers" },
        { "agent accept alice 04bc", "agent accept" },
        { "agent reject alice 04bc --reason busy", "agent reject" },
        { "agent complete alice 04bc --disposition promised-callback", "agent complete" },
        { "agent end-wrap-up alice 04bc", "agent end-wrap-up" },
        { "supervise move 3f0c --queue sales --reason vip", "supervise move" },
        { "supervise move 3f0c --queue sales --validate-only", "supervise move" },
        { "supervise priority 3f0c 900", "supervise priority" },
        { "supervise priority 3f0c -5", "supervise priority" },
        { "supervise rebalance --from support --to sales --max 5 --validate-only", "supervise rebalance" },
        { "supervise rebalance --from support --to sales --max 5", "supervise rebalance" },
        { "supervise agent-queues bob support sales", "supervise agent-queues" },
        { "supervise agent-skills bob billing:6 english:7", "supervise agent-skills" },
        { "supervise open sales", "supervise open" },
        { "supervise close sales --validate-only", "supervise close" },
        { "report --from 2026-11-30T15:33:00Z --to 2026-11-30T15:41:00Z --interval 10m", "report" },
        { "report --from 2026-11-30T08:00:00Z --to 2026-11-30T16:00:00Z --interval 15m --csv --arrivals day.csv", "report" },
        { "simulate docs/examples/example-centre.yaml --seeds 5 --out sim-out", "simulate" },
        { "simulate docs/examples/demo-day.yaml --replay-from 2026-11-30T15:33:00Z --replay-to 2026-11-30T15:41:00Z --out replay", "simulate" },
        { "--json --address http://127.0.0.1:5000 health", "health" },
        { "health --json --address=https://engine.example:443", "health" },
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Every_documented_command_line_parses_to_its_command(string commandLine, string command)
    {
        var parse = Parse(commandLine);
        Assert.True(parse.Errors.Count == 0, Errors(parse));
        Assert.Equal(command, PathOf(parse));
        Assert.NotNull(parse.CommandResult.Command.Action);
    }

    [Fact]
    public void The_simulated_desktop_reads_its_delays_as_durations()
    {
        var parse = Parse("agent offers alice --auto-accept --complete-after 1s --wrap-up-after 500ms");
        Assert.Equal("alice", parse.GetValue<string>("agent"));
        Assert.True(parse.GetValue<bool>("--auto-accept"));
        Assert.Equal(TimeSpan.FromSeconds(1), parse.GetValue<TimeSpan?>("--complete-after"));
        Assert.Equal(TimeSpan.FromMilliseconds(500), parse.GetValue<TimeSpan?>("--wrap-up-after"));
    }

    [Fact]
    public void A_replayed_simulation_reads_its_range_as_utc_times()
    {
        var parse = Parse("simulate demo-day.yaml --replay-from 2026-11-30T15:33:00Z --replay-to 2026-11-30T16:33:00+01:00");
        Assert.True(parse.Errors.Count == 0, Errors(parse));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 15, 33, 0, TimeSpan.Zero), parse.GetValue<DateTimeOffset?>("--replay-from"));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 15, 33, 0, TimeSpan.Zero), parse.GetValue<DateTimeOffset?>("--replay-to"));
        Assert.NotEmpty(Parse("simulate demo-day.yaml --replay-from yesterday").Errors);
    }

    [Fact]
    public void Route_options_arrive_typed_and_repeatable_ones_keep_every_value_in_order()
    {
        var parse = Parse("route --queue support --channel chat --customer maria --priority 900 --skill english:5 --skill billing:3 "
            + "--context order=A-1001 --context topic=a=b --preferred-skill x --preferred-skill y --preferred-wait 1m30s");
        Assert.True(parse.Errors.Count == 0, Errors(parse));
        Assert.Equal(900, parse.GetValue<int>("--priority"));
        Assert.Equal(
            [new("english", 5), new("billing", 3)],
            parse.GetValue<IReadOnlyList<KeyValuePair<string, int>>>("--skill"));
        Assert.Equal(
            [new("order", "A-1001"), new("topic", "a=b")],
            parse.GetValue<IReadOnlyList<KeyValuePair<string, string>>>("--context"));
        Assert.Equal(["x", "y"], parse.GetValue<string[]>("--preferred-skill")!);
        Assert.Equal(TimeSpan.FromSeconds(90), parse.GetValue<TimeSpan?>("--preferred-wait"));
    }

    [Fact]
    public void Rebalancing_options_arrive_typed()
    {
        var parse = Parse("supervise rebalance --from support --to sales --max 5 --validate-only");
        Assert.Equal("support", parse.GetValue<string>("--from"));
        Assert.Equal("sales", parse.GetValue<string>("--to"));
        Assert.Equal(5, parse.GetValue<int>("--max"));
        Assert.True(parse.GetValue<bool>("--validate-only"));
    }

    [Fact]
    public void Agent_skills_and_queues_take_every_argument_after_the_agent()
    {
        var skills = Parse("supervise agent-skills bob billing:6 english:7");
        Assert.Equal("bob", skills.GetValue<string>("agent"));
        Assert.Equal([new("billing", 6), new("english", 7)], skills.GetValue<IReadOnlyList<KeyValuePair<string, int>>>("skill:level"));

        var queues = Parse("supervise agent-queues bob support sales");
        Assert.Equal(["support", "sales"], queues.GetValue<string[]>("queue")!);
    }

    [Fact]
    public void A_negative_priority_is_a_value_not_an_option()
    {
        var parse = Parse("supervise priority 3f0c -5");
        Assert.True(parse.Errors.Count == 0, Errors(parse));
        Assert.Equal(-5, parse.GetValue<int>("priority"));
    }

    [Fact]
    public void Global_options_are_read_before_or_after_the_command()
    {
        var before = Parse("--json --address http://10.0.0.1:6000 queues list");
        var after = Parse("queues list --address http://10.0.0.1:6000 --json");
        foreach (var parse in new[] { before, after })
        {
            Assert.True(parse.Errors.Count == 0, Errors(parse));
            Assert.True(parse.GetValue<bool>("--json"));
            Assert.Equal(new Uri("http://10.0.0.1:6000"), parse.GetValue<Uri>("--address"));
        }
    }

    [Fact]
    public void An_argument_starting_with_at_is_an_id_not_a_response_file()
    {
        var parse = Parse("agents get @alice");
        Assert.True(parse.Errors.Count == 0, Errors(parse));
        Assert.Equal("@alice", parse.GetValue<string>("agent"));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("agent offers --help")]
    [InlineData("supervise rebalance -h")]
    public void Help_is_answered_even_when_required_values_are_missing(string commandLine)
    {
        var parse = Parse(commandLine);
        Assert.IsType<HelpAction>(parse.Action);
        Assert.True(parse.Action!.ClearsParseErrors);
    }

    [Theory]
    [InlineData("agent offers alice --auto-accept --complete-after soon", "--complete-after: 'soon' is not a duration")]
    [InlineData("route --queue q --channel chat --customer c --preferred-wait -1s", "--preferred-wait")]
    [InlineData("agent offers alice --wrap-up-after 1s", "need --auto-accept")]
    [InlineData("agent offers alice --disposition resolved", "need --auto-accept")]
    [InlineData("supervise rebalance --from a --to b --max 0", "--max: must be at least 1")]
    [InlineData("supervise rebalance --from a --to b --max many", "--max: 'many' is not an integer")]
    [InlineData("supervise rebalance --from a --to b", "--max")]
    [InlineData("route --queue q --channel chat", "--customer")]
    [InlineData("route --queue q --channel chat --customer c --skill english:high", "--skill: 'english:high' is not of the form skill:level")]
    [InlineData("route --queue q --channel chat --customer c --context order", "--context: 'order' is not of the form key=value")]
    [InlineData("route --queue q --queue r --channel chat --customer c", "--queue")]
    [InlineData("interaction transfer 3f0c", "give exactly one of --queue and --agent")]
    [InlineData("interaction transfer 3f0c --queue sales --agent bob", "give exactly one of --queue and --agent")]
    [InlineData("agent presence alice busy", "presence 'busy' is not one of available, away, offline")]
    [InlineData("supervise agent-skills bob spanish", "'spanish' is not of the form skill:level")]
    [InlineData("supervise agent-skills bob spanish:7 spanish:8", "skill 'spanish' is given more than once")]
    [InlineData("supervise agent-queues bob", "queue")]
    [InlineData("supervise priority 3f0c high", "<priority>: 'high' is not an integer")]
    [InlineData("agents occupancy alice --queue support", "give an agent or --queue, not both")]
    [InlineData("customer upsert maria --attribute tier", "--attribute: 'tier' is not of the form key=value")]
    [InlineData("customer journey maria --page-size 0", "--page-size: must be at least 1")]
    [InlineData("health --address ftp://engine:21", "--address: 'ftp://engine:21' is not an http:// or https:// URL")]
    [InlineData("health --bogus", "--bogus")]
    [InlineData("launch", "launch")]
    [InlineData("agent", "Required command")]
    [InlineData("", "Required command")]
    public void A_wrong_command_line_is_refused_with_an_error_naming_what_is_wrong(string commandLine, string error)
    {
        var parse = Parse(commandLine);
        Assert.NotEmpty(parse.Errors);
        Assert.Contains(error, Errors(parse), StringComparison.Ordinal);
    }
}
