using System.CommandLine;
using System.CommandLine.Help;
using Omnichannel.Routing.Cli.Commands;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>
/// The command tree of <c>omnichannel</c>: <c>omnichannel [--address url] [--json] &lt;command&gt; [arguments] [options]</c>.
/// System.CommandLine parses it, checks it (types, counts, required options) and writes the help.
/// </summary>
internal static class OmnichannelCommand
{
    /// <summary>The program's name, as help shows it (not the assembly's).</summary>
    public const string Name = "omnichannel";

    /// <summary>The root command with every command of the client under it.</summary>
    public static Command Create()
    {
        var global = new GlobalOptions();
        var root = new Command(Name, "The operators' client of the routing engine. Durations: 500ms, 30s, 2m, 1h, 1m30s.")
        {
            global.Address,
            global.Token,
            global.Ca,
            global.Json,
            new HelpOption(),
        };
        foreach (var command in new ServerCommands(global).Commands())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(Group("config", "routing configuration files", new ConfigCommands(global)));
        root.Subcommands.Add(Group("queues", "queue definitions and live queue statistics", new QueueCommands(global), new QueueStatsCommands(global)));
        root.Subcommands.Add(Group("agents", "agent definitions, occupancy and state", new AgentRegistryCommands(global), new AgentOccupancyCommands(global)));
        foreach (var command in new RoutingCommands(global).Commands())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(Group("interaction", "follow, cancel and transfer one interaction", new InteractionCommands(global)));
        root.Subcommands.Add(Group("customer", "a customer's profile and journey", new CustomerCommands(global)));
        root.Subcommands.Add(Group("agent", "what an agent desktop does", new AgentDesktopCommands(global)));
        root.Subcommands.Add(Group("token", "development bearer tokens", new TokenCommands()));
        root.Subcommands.Add(Group("supervise", "rebalance live: move, prioritise, change agents and open or close queues", new SuperviseCommands(global)));
        foreach (var command in new ReportCommands(global).Commands().Concat(new SimulateCommands(global).Commands()))
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>
    /// Parses <paramref name="args"/> against <paramref name="root"/>. <c>@file</c> is an ordinary argument (an id may
    /// start with <c>@</c>), not a response file.
    /// </summary>
    public static ParseResult Parse(Command root, IReadOnlyList<string> args) =>
        root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>The words that select the parsed command under the root, e.g. <c>["agent", "offers"]</c>.</summary>
    public static IReadOnlyList<string> PathOf(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var words = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            words.Insert(0, result.Command.Name);
        }

        return words;
    }

    private static Command Group(string name, string description, params ICommandGroup[] groups)
    {
        var group = new Command(name, description);
        foreach (var command in groups.SelectMany(g => g.Commands()))
        {
            group.Subcommands.Add(command);
        }

        return group;
    }
}
