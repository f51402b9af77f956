namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>A command failed for a reason of its own, not a gRPC status (e.g. an unreadable file): exit code 1.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException()
    {
    }

    public CommandFailedException(string message)
        : base(message)
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
