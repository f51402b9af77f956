using System.CommandLine;
using Omnichannel.Routing.Cli.CommandLine;

namespace Omnichannel.Routing.Cli.Tests.CommandLine;

/// <summary>Parses command lines against the client's real command tree, as <c>omnichannel</c> does.</summary>
internal static class ParsedCommands
{
    public static ParseResult Parse(string commandLine) =>
        OmnichannelCommand.Parse(OmnichannelCommand.Create(), commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The words of the parsed command, e.g. <c>agent offers</c>.</summary>
    public static string PathOf(ParseResult parse) => string.Join(' ', OmnichannelCommand.PathOf(parse));

    public static string Errors(ParseResult parse) => string.Join(" | ", parse.Errors.Select(e => e.Message));
}
