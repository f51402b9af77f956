using System.CommandLine;
using System.CommandLine.Invocation;
using Grpc.Core;
using Omnichannel.Routing.Cli.Output;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>
/// Runs one command against the engine: builds its <see cref="CommandContext"/> from the global options, and turns
/// failures into an <c>error: …</c> line and exit code 1. Ctrl+C ends a command with exit code 0.
/// </summary>
internal sealed class EngineCommandAction(GlobalOptions global, Func<CommandContext, Task<int>> run) : AsynchronousCommandLineAction
{
    /// <summary>Exit code of a command that failed: the engine refused or could not be reached, or the command's own failure.</summary>
    public const int Failure = 1;

    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var address = parseResult.GetRequiredValue(global.Address);
        var output = ConsoleOutput.ForConsole(parseResult.GetValue(global.Json));
        var connection = new EngineConnection(address, parseResult.GetValue(global.Token), parseResult.GetValue(global.Ca));
        using var context = new CommandContext(parseResult, connection, output, cancellationToken);
        try
        {
            return await run(context);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (RpcException e)
        {
            // A refused connection only says "Error connecting to subchannel."; say where and why.
            var unreachable = e.StatusCode == StatusCode.Unavailable && e.Status.DebugException is { } cause
                ? $" ({address}: {cause.Message})"
                : string.Empty;

            // A handler the engine does not implement answers UNIMPLEMENTED with no detail at all.
            var detail = e.Status.Detail.Length > 0 ? e.Status.Detail : "(no detail from the engine)";
            output.Error($"{e.StatusCode}: {detail}{unreachable}");
            return Failure;
        }
        catch (CommandFailedException e)
        {
            output.Error(e.Message);
            return Failure;
        }
    }
}
