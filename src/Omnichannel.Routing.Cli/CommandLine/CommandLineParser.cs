namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>
/// Parses <c>omnichannel [global options] &lt;command words&gt; [arguments] [options]</c> against a catalog.
/// Options take <c>--name value</c> or <c>--name=value</c>; global options may stand anywhere; <c>--</c> ends options.
/// </summary>
internal static class CommandLineParser
{
    /// <summary>
    /// Splits <paramref name="args"/>. Throws <see cref="UsageException"/> for an unknown command or option, a missing
    /// value or a wrong number of arguments, unless help was asked for.
    /// </summary>
    public static ParsedCommandLine Parse(IReadOnlyList<string> args, CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(catalog);
        var parsed = new ParsedCommandLine();
        var at = 0;
        while (at < args.Count && IsOption(args[at]))
        {
            at = ReadOption(args, at, OptionDefinition.Global, parsed);
        }

        var words = args.Skip(at).TakeWhile(a => !IsOption(a)).ToList();
        var command = catalog.Match(words);
        if (command is null)
        {
            if (parsed.HelpRequested || words.Count == 0)
            {
                return parsed;
            }

            throw words.Count == 1 && catalog.InGroup(words[0]).Count > 0
                ? new UsageException($"'{words[0]}' needs a subcommand")
                : new UsageException($"unknown command '{string.Join(' ', words)}'");
        }

        parsed.Command = command;
        try
        {
            ReadCommandArguments(args, at + command.Words.Count, command, parsed);
        }
        catch (UsageException e) when (e.Command is null)
        {
            throw new UsageException(e.Message, e) { Command = command };
        }

        return parsed;
    }

    private static void ReadCommandArguments(IReadOnlyList<string> args, int at, CommandDefinition command, ParsedCommandLine parsed)
    {
        var accepted = command.Options.Concat(OptionDefinition.Global).ToList();
        var optionsEnded = false;
        while (at < args.Count)
        {
            var token = args[at];
            if (!optionsEnded && token == "--")
            {
                optionsEnded = true;
                at++;
            }
            else if (!optionsEnded && IsOption(token))
            {
                at = ReadOption(args, at, accepted, parsed);
            }
            else
            {
                parsed.AddPositional(token);
                at++;
            }
        }

        if (parsed.HelpRequested)
        {
            return;
        }

        var count = parsed.Positionals.Count;
        var fixedCount = command.Arguments.Count;
        if (count < fixedCount)
        {
            throw new UsageException($"missing <{command.Arguments[count]}>");
        }

        // Trailing arguments beyond the fixed ones: only as many as the command's Rest allows.
        var extra = count - fixedCount;
        var (minimum, maximum) = command.Rest is { } rest ? (rest.Minimum, rest.Maximum) : (0, 0);
        if (extra < minimum)
        {
            throw new UsageException($"missing <{command.Rest!.Name}>");
        }

        if (extra > maximum)
        {
            throw new UsageException($"unexpected argument '{parsed.Positionals[fixedCount + maximum]}'");
        }
    }

    /// <summary>An option token: starts with a dash, and is neither a lone dash nor a negative number.</summary>
    private static bool IsOption(string token) =>
        token.Length > 1 && token[0] == '-' && !char.IsAsciiDigit(token[1]);

    private static int ReadOption(IReadOnlyList<string> args, int at, IReadOnlyList<OptionDefinition> accepted, ParsedCommandLine parsed)
    {
        var token = args[at];
        if (token is "-h")
        {
            parsed.AddOption(OptionDefinition.Help, string.Empty);
            return at + 1;
        }

        if (!token.StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"unknown option '{token}'");
        }

        var equals = token.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? token[2..] : token[2..equals];
        var option = accepted.FirstOrDefault(o => o.Name == name)
            ?? throw new UsageException($"unknown option '--{name}'");
        if (option.IsFlag)
        {
            if (equals >= 0)
            {
                throw new UsageException($"--{name} takes no value");
            }

            if (!parsed.Flag(option.Name))
            {
                parsed.AddOption(option, string.Empty);
            }

            return at + 1;
        }

        if (equals >= 0)
        {
            parsed.AddOption(option, token[(equals + 1)..]);
            return at + 1;
        }

        if (at + 1 >= args.Count)
        {
            throw new UsageException($"--{name} needs a value ({option.ValueName})");
        }

        parsed.AddOption(option, args[at + 1]);
        return at + 2;
    }
}
