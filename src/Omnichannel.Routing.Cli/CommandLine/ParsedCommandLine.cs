using System.Globalization;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>
/// A command line split into its command, positional arguments and options. Accessors that convert a value throw
/// <see cref="UsageException"/> when it is malformed, naming the option.
/// </summary>
internal sealed class ParsedCommandLine
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    /// <summary>The command selected by the leading words; null when none was given or matched.</summary>
    public CommandDefinition? Command { get; set; }

    /// <summary>Positional arguments after the command's words.</summary>
    public IReadOnlyList<string> Positionals => _positionals;

    /// <summary>True when <c>--help</c> or <c>-h</c> was given.</summary>
    public bool HelpRequested => Flag(OptionDefinition.Help.Name);

    /// <summary>True when <c>--json</c> was given.</summary>
    public bool Json => Flag(OptionDefinition.Json.Name);

    /// <summary>The engine address: <c>--address</c>, else <c>OMNICHANNEL_ADDRESS</c>, else the default.</summary>
    public string Address =>
        Value(OptionDefinition.Address.Name)
        ?? (Environment.GetEnvironmentVariable(OptionDefinition.AddressVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : OptionDefinition.DefaultAddress);

    internal void AddPositional(string value) => _positionals.Add(value);

    internal void AddOption(OptionDefinition option, string value)
    {
        if (!_options.TryGetValue(option.Name, out var values))
        {
            values = [];
            _options.Add(option.Name, values);
        }
        else if (!option.Repeatable)
        {
            throw new UsageException($"--{option.Name} is given more than once");
        }

        values.Add(value);
    }

    /// <summary>The positional argument at <paramref name="index"/> (the parser has checked the count).</summary>
    public string Argument(int index) => _positionals[index];

    /// <summary>The positional arguments from <paramref name="index"/> on: a command's <see cref="RestArguments"/>.</summary>
    public IReadOnlyList<string> ArgumentsFrom(int index) => [.. _positionals.Skip(index)];

    /// <summary>True when the flag was given.</summary>
    public bool Flag(string name) => _options.ContainsKey(name);

    /// <summary>The option's value, or null when it was not given.</summary>
    public string? Value(string name) => _options.TryGetValue(name, out var values) ? values[^1] : null;

    /// <summary>The value of an option the command cannot do without.</summary>
    public string Required(string name) => Value(name) ?? throw new UsageException($"--{name} is required");

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IReadOnlyList<string> Values(string name) => _options.TryGetValue(name, out var values) ? values : [];

    /// <summary>The option's value as an integer, or null when it was not given.</summary>
    public int? Integer(string name)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name}: '{text}' is not an integer");
    }

    /// <summary>The option's value as a duration (<c>30s</c>, <c>500ms</c>, <c>2m</c>), or null when it was not given.</summary>
    public TimeSpan? Duration(string name)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        return DurationText.TryParse(text, out var value)
            ? value
            : throw new UsageException($"--{name}: '{text}' is not a duration (e.g. 500ms, 30s, 2m, 1h)");
    }

    /// <summary>Every value of a repeatable <c>key=value</c> option, as pairs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs(string name, char separator)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var text in Values(name))
        {
            var at = text.IndexOf(separator, StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new UsageException($"--{name}: '{text}' is not of the form key{separator}value");
            }

            pairs.Add(new(text[..at], text[(at + 1)..]));
        }

        return pairs;
    }
}
