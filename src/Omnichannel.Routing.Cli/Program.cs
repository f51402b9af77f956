using Grpc.Core;
using Grpc.Net.Client;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Commands;
using Omnichannel.Routing.Cli.Output;

namespace Omnichannel.Routing.Cli;

/// <summary>
/// <c>omnichannel</c>: parses the command line, connects to the engine and runs one command.
/// Exit codes: 0 success, 1 the engine or the command failed, 2 usage error.
/// </summary>
internal static class Program
{
    private const int Failure = 1;
    private const int UsageError = 2;

    private static async Task<int> Main(string[] args)
    {
        var catalog = CommandCatalog.Of(
            new ServerCommands(),
            new ConfigCommands(),
            new QueueCommands(),
            new QueueStatsCommands(),
            new AgentRegistryCommands(),
            new AgentOccupancyCommands(),
            new RoutingCommands(),
            new InteractionCommands(),
            new CustomerCommands(),
            new AgentDesktopCommands(),
            new SuperviseCommands());
        var console = new ConsoleOutput(json: false, Console.Out, Console.Error);

        ParsedCommandLine commandLine;
        try
        {
            commandLine = CommandLineParser.Parse(args, catalog);
        }
        catch (UsageException e)
        {
            return ReportUsage(console, catalog, e.Message, e.Command, args.FirstOrDefault(a => !a.StartsWith('-')));
        }

        if (commandLine.Command is not { } command)
        {
            console.Raw(catalog.UsageText(), toError: !commandLine.HelpRequested);
            return commandLine.HelpRequested ? 0 : UsageError;
        }

        if (commandLine.HelpRequested)
        {
            console.Raw(command.UsageText(), toError: false);
            return 0;
        }

        if (!Uri.TryCreate(commandLine.Address, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            console.Error($"--address: '{commandLine.Address}' is not an http:// or https:// URL");
            return UsageError;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C ends streams cleanly; a second one kills the process.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };

        var channel = new Lazy<GrpcChannel>(() => GrpcChannel.ForAddress(address));
        var output = new ConsoleOutput(commandLine.Json, Console.Out, Console.Error);
        try
        {
            return await command.Run(new CommandContext(commandLine, channel, output, cancellation.Token));
        }
        catch (UsageException e)
        {
            return ReportUsage(output, catalog, e.Message, e.Command ?? command, group: null);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellation.IsCancellationRequested)
        {
            return 0;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return 0;
        }
        catch (RpcException e)
        {
            // A refused connection only says "Error connecting to subchannel."; say where and why.
            var unreachable = e.StatusCode == StatusCode.Unavailable && e.Status.DebugException is { } cause
                ? $" ({address}: {cause.Message})"
                : string.Empty;
            // A handler the engine does not implement yet answers UNIMPLEMENTED with no detail at all.
            var detail = e.Status.Detail.Length > 0 ? e.Status.Detail : "(no detail from the engine)";
            output.Error($"{e.StatusCode}: {detail}{unreachable}");
            return Failure;
        }
        catch (CommandFailedException e)
        {
            output.Error(e.Message);
            return Failure;
        }
        finally
        {
            if (channel.IsValueCreated)
            {
                channel.Value.Dispose();
            }
        }
    }

    private static int ReportUsage(ConsoleOutput output, CommandCatalog catalog, string message, CommandDefinition? command, string? group)
    {
        output.Error(message);
        var usage = command?.UsageText()
            ?? (group is not null && catalog.InGroup(group) is { Count: > 0 } inGroup ? catalog.UsageText(inGroup) : catalog.UsageText());
        output.Raw(usage, toError: true);
        return UsageError;
    }
}
