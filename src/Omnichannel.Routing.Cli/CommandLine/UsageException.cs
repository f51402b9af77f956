namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>The command line is wrong: the client prints the message and the usage text, and exits with code 2.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>The command whose usage text explains the mistake; null for the overall usage text.</summary>
    public CommandDefinition? Command { get; init; }

    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
