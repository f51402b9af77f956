namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>Every command the client knows, looked up by the words of the command line.</summary>
internal sealed class CommandCatalog
{
    private readonly List<CommandDefinition> _commands = [];

    /// <summary>The registered commands, in registration order.</summary>
    public IReadOnlyList<CommandDefinition> Commands => _commands;

    /// <summary>A catalog holding the commands of <paramref name="groups"/>.</summary>
    public static CommandCatalog Of(params ICommandGroup[] groups)
    {
        var catalog = new CommandCatalog();
        foreach (var group in groups)
        {
            group.Register(catalog);
        }

        return catalog;
    }

    /// <summary>Registers a command; its path must be new.</summary>
    public void Add(CommandDefinition command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_commands.Any(c => c.Path == command.Path))
        {
            throw new InvalidOperationException($"command '{command.Path}' is registered twice");
        }

        _commands.Add(command);
    }

    /// <summary>
    /// The command whose path is the longest prefix of <paramref name="words"/>, or null when none is.
    /// </summary>
    public CommandDefinition? Match(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return _commands
            .Where(c => c.Words.Count <= words.Count && c.Words.Select((w, i) => w == words[i]).All(same => same))
            .MaxBy(c => c.Words.Count);
    }

    /// <summary>Commands whose path starts with <paramref name="group"/> (e.g. all <c>agent …</c> commands).</summary>
    public IReadOnlyList<CommandDefinition> InGroup(string group) =>
        [.. _commands.Where(c => c.Words[0] == group)];

    /// <summary>The overall usage text: every command with its summary.</summary>
    public string UsageText(IReadOnlyList<CommandDefinition>? only = null)
    {
        var shown = only ?? _commands;
        var width = shown.Max(c => c.Synopsis.Length);
        var lines = new List<string> { "usage: omnichannel [--address url] [--json] <command> [arguments] [options]", string.Empty, "commands:" };
        lines.AddRange(shown.Select(c => $"  {c.Synopsis.PadRight(width)}  {c.Summary}"));
        lines.Add(string.Empty);
        lines.Add("global options:");
        lines.AddRange(OptionDefinition.Global.Select(o => o.UsageLine()));
        lines.Add(string.Empty);
        lines.Add("'omnichannel <command> --help' shows a command's options. Durations: 500ms, 30s, 2m, 1h, 1m30s.");
        return string.Join(Environment.NewLine, lines);
    }
}
