namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>
/// One command of the client: its path (the words that select it, e.g. <c>queues list</c>), its positional
/// arguments, its options and what it runs. Command groups add these to a <see cref="CommandCatalog"/>.
/// </summary>
/// <param name="Path">The words that select the command, separated by single spaces.</param>
/// <param name="Arguments">Names of the required positional arguments, in order, as shown in the usage text.</param>
/// <param name="Summary">One line that says what the command does.</param>
/// <param name="Options">Options the command accepts besides the global ones.</param>
/// <param name="Run">Runs the command and answers the process exit code.</param>
internal sealed record CommandDefinition(
    string Path,
    IReadOnlyList<string> Arguments,
    string Summary,
    IReadOnlyList<OptionDefinition> Options,
    Func<CommandContext, Task<int>> Run)
{
    /// <summary>Positional arguments allowed after <see cref="Arguments"/>; null when there are none.</summary>
    public RestArguments? Rest { get; init; }

    /// <summary>The words of <see cref="Path"/>.</summary>
    public IReadOnlyList<string> Words { get; } = Path.Split(' ');

    /// <summary>The synopsis: <c>omnichannel queues get &lt;id&gt; [options]</c>.</summary>
    public string Synopsis
    {
        get
        {
            var arguments = string.Concat(Arguments.Select(a => $" <{a}>")) + (Rest is null ? string.Empty : $" {Rest.Synopsis}");
            var options = Options.Count > 0 ? " [options]" : string.Empty;
            return $"omnichannel {Path}{arguments}{options}";
        }
    }

    /// <summary>Synopsis, summary and options, as printed by <c>--help</c> and after a usage error.</summary>
    public string UsageText()
    {
        var lines = new List<string> { $"usage: {Synopsis}", string.Empty, $"  {Summary}" };
        if (Options.Count > 0)
        {
            lines.Add(string.Empty);
            lines.Add("options:");
            lines.AddRange(Options.Select(o => o.UsageLine()));
        }

        lines.Add(string.Empty);
        lines.Add("global options:");
        lines.AddRange(OptionDefinition.Global.Select(o => o.UsageLine()));
        return string.Join(Environment.NewLine, lines);
    }
}
