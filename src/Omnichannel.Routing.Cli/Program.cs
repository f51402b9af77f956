using System.CommandLine;
using Omnichannel.Routing.Cli.CommandLine;

namespace Omnichannel.Routing.Cli;

/// <summary>
/// <c>omnichannel</c>: parses the command line, connects to the engine and runs one command.
/// Exit codes: 0 success, 1 the engine or the command failed, 2 usage error.
/// </summary>
internal static class Program
{
    private const int UsageError = 2;

    private static async Task<int> Main(string[] args)
    {
        var root = OmnichannelCommand.Create();
        var parse = OmnichannelCommand.Parse(root, args);

        // --help answers even a command line that is otherwise wrong.
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await Console.Error.WriteLineAsync();
            var help = OmnichannelCommand.Parse(root, [.. OmnichannelCommand.PathOf(parse), "--help"]);
            await help.InvokeAsync(new InvocationConfiguration { Output = Console.Error });
            return UsageError;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C ends streams cleanly; a second one kills the process.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };

        // Failures are reported by EngineCommandAction; Ctrl+C is handled above, not by System.CommandLine.
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(invocation, cancellation.Token);
    }
}
