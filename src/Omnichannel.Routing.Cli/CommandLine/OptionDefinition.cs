namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>A <c>--name</c> option: a flag when <paramref name="ValueName"/> is null, otherwise it takes a value.</summary>
/// <param name="Name">The name without its leading dashes.</param>
/// <param name="ValueName">How the usage text names the value, e.g. <c>30s</c> or <c>key=value</c>; null for a flag.</param>
/// <param name="Description">One line for the usage text.</param>
/// <param name="Repeatable">The option may be given more than once; every value is kept.</param>
internal sealed record OptionDefinition(string Name, string? ValueName, string Description, bool Repeatable = false)
{
    /// <summary>Default engine address when neither <c>--address</c> nor <c>OMNICHANNEL_ADDRESS</c> is set.</summary>
    public const string DefaultAddress = "http://127.0.0.1:50051";

    /// <summary>Environment variable that sets the engine address.</summary>
    public const string AddressVariable = "OMNICHANNEL_ADDRESS";

    /// <summary><c>--address URL</c>: where the engine serves gRPC.</summary>
    public static readonly OptionDefinition Address = new("address", "url", $"engine gRPC address (default {DefaultAddress}, or ${AddressVariable})");

    /// <summary><c>--json</c>: protobuf JSON, one message a line, instead of human-readable lines.</summary>
    public static readonly OptionDefinition Json = new("json", null, "print protobuf JSON, one message a line");

    /// <summary><c>--help</c>: print the usage text and exit.</summary>
    public static readonly OptionDefinition Help = new("help", null, "show this help");

    /// <summary>Options every command accepts, before or after its words.</summary>
    public static IReadOnlyList<OptionDefinition> Global { get; } = [Address, Json, Help];

    /// <summary>True when the option takes no value.</summary>
    public bool IsFlag => ValueName is null;

    /// <summary>The option's line in a usage text.</summary>
    public string UsageLine()
    {
        var head = IsFlag ? $"--{Name}" : $"--{Name} {ValueName}";
        var repeat = Repeatable ? " (repeatable)" : string.Empty;
        return $"  {head,-28} {Description}{repeat}";
    }
}
