using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Omnichannel.Routing.Cli.Output;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>
/// What a running command needs: its parsed, typed command line, the engine connection (opened on first use), the
/// output and Ctrl+C.
/// </summary>
internal sealed class CommandContext(ParseResult parse, EngineConnection connection, ConsoleOutput output, CancellationToken cancellation) : IDisposable
{
    /// <summary>How long a unary call may take before it fails with DEADLINE_EXCEEDED.</summary>
    public static readonly TimeSpan UnaryTimeout = TimeSpan.FromSeconds(30);

    private readonly Lazy<GrpcChannel> _channel = new(connection.Open);

    /// <summary>Where results and errors are written.</summary>
    public ConsoleOutput Output { get; } = output;

    /// <summary>Cancelled by Ctrl+C.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Invoker for generated clients, e.g. <c>new AdminService.AdminServiceClient(context.Invoker)</c>.</summary>
    public CallInvoker Invoker => connection.Invoker(_channel.Value);

    /// <summary>Options for a unary call: a deadline and Ctrl+C.</summary>
    public CallOptions Unary => new(deadline: DateTime.UtcNow + UnaryTimeout, cancellationToken: Cancellation);

    /// <summary>Options for a stream: no deadline, ends on Ctrl+C.</summary>
    public CallOptions Streaming => new(cancellationToken: Cancellation);

    /// <summary>The option's value, or its default when it was not given.</summary>
    public T? Value<T>(Option<T> option) => parse.GetValue(option);

    /// <summary>The value of an optional positional argument (<c>[&lt;agent&gt;]</c>, <c>[&lt;queue&gt;...]</c>), or its default.</summary>
    public T? Value<T>(Argument<T> argument) => parse.GetValue(argument);

    /// <summary>True when the flag was given.</summary>
    public bool Flag(Option<bool> option) => parse.GetValue(option);

    /// <summary>The value of a required option (the parser has refused a command line without it).</summary>
    public T Required<T>(Option<T> option) => parse.GetRequiredValue(option);

    /// <summary>The value of a positional argument (the parser has checked how many were given).</summary>
    public T Argument<T>(Argument<T> argument) => parse.GetRequiredValue(argument);

    public void Dispose()
    {
        if (_channel.IsValueCreated)
        {
            _channel.Value.Dispose();
        }
    }
}
