using System.CommandLine;
using System.CommandLine.Parsing;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>Options every command accepts, before or after its words: where the engine is, how to reach it safely, and how to print.</summary>
internal sealed class GlobalOptions
{
    /// <summary>Default engine address when neither <c>--address</c> nor <c>OMNICHANNEL_ADDRESS</c> is set.</summary>
    public const string DefaultAddress = "http://127.0.0.1:50051";

    /// <summary>Environment variable that sets the engine address.</summary>
    public const string AddressVariable = "OMNICHANNEL_ADDRESS";

    /// <summary><c>--address URL</c>: where the engine serves gRPC; else <c>OMNICHANNEL_ADDRESS</c>, else the default.</summary>
    public Option<Uri> Address { get; } = new("--address")
    {
        Description = $"engine gRPC address (or ${AddressVariable})",
        HelpName = "url",
        Recursive = true,
        CustomParser = result => ParseAddress(result, result.Tokens.Count > 0 ? result.Tokens[^1].Value : DefaultAddress),
        DefaultValueFactory = result => ParseAddress(
            result,
            Environment.GetEnvironmentVariable(AddressVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultAddress),
    };

    /// <summary>Environment variable that holds the bearer token.</summary>
    public const string TokenVariable = "OMNICHANNEL_TOKEN";

    /// <summary><c>--token JWT</c>: sent as a bearer token with every call; else <c>OMNICHANNEL_TOKEN</c>; else none.</summary>
    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"bearer token sent with every call (or ${TokenVariable})",
        HelpName = "jwt",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
    };

    /// <summary><c>--ca FILE</c>: a PEM certificate (a CA or the server's own) to trust for an https:// address.</summary>
    public Option<FileInfo?> Ca { get; } = new("--ca")
    {
        Description = "PEM certificate to trust for https:// (a private CA, or the engine's self-signed certificate)",
        HelpName = "file",
        Recursive = true,
    };

    /// <summary><c>--json</c>: protobuf JSON, one message a line, instead of human-readable lines.</summary>
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "print protobuf JSON, one message a line",
        Recursive = true,
    };

    private static Uri ParseAddress(ArgumentResult result, string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
        {
            return address;
        }

        result.AddError($"--address: '{text}' is not an http:// or https:// URL");
        return new Uri(DefaultAddress);
    }
}
