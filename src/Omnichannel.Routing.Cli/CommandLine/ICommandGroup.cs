using System.CommandLine;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>A set of related commands (e.g. everything under <c>agent</c>), each with its typed options and action.</summary>
internal interface ICommandGroup
{
    /// <summary>The group's commands, in the order help lists them.</summary>
    IEnumerable<Command> Commands();
}
