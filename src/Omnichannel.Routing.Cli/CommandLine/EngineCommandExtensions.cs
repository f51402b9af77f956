using System.CommandLine;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>Attaches an <see cref="EngineCommandAction"/> to a command.</summary>
internal static class EngineCommandExtensions
{
    /// <summary>Makes <paramref name="run"/> what <paramref name="command"/> does; answers the command, for chaining.</summary>
    public static Command RunsOnEngine(this Command command, GlobalOptions global, Func<CommandContext, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Action = new EngineCommandAction(global, run);
        return command;
    }
}
