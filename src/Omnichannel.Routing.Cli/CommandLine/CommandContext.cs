using Grpc.Core;
using Grpc.Net.Client;
using Omnichannel.Routing.Cli.Output;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>What a running command needs: its parsed command line, the engine connection, the output and Ctrl+C.</summary>
internal sealed class CommandContext(ParsedCommandLine commandLine, Lazy<GrpcChannel> channel, ConsoleOutput output, CancellationToken cancellation)
{
    /// <summary>How long a unary call may take before it fails with DEADLINE_EXCEEDED.</summary>
    public static readonly TimeSpan UnaryTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The parsed command line.</summary>
    public ParsedCommandLine CommandLine { get; } = commandLine;

    /// <summary>Where results and errors are written.</summary>
    public ConsoleOutput Output { get; } = output;

    /// <summary>Cancelled by Ctrl+C.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Invoker for generated clients, e.g. <c>new AdminService.AdminServiceClient(context.Invoker)</c>.</summary>
    public CallInvoker Invoker => channel.Value.CreateCallInvoker();

    /// <summary>Options for a unary call: a deadline and Ctrl+C.</summary>
    public CallOptions Unary => new(deadline: DateTime.UtcNow + UnaryTimeout, cancellationToken: Cancellation);

    /// <summary>Options for a stream: no deadline, ends on Ctrl+C.</summary>
    public CallOptions Streaming => new(cancellationToken: Cancellation);
}
