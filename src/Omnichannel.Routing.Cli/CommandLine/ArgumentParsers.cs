using System.CommandLine.Parsing;
using System.Globalization;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>
/// System.CommandLine <c>CustomParser</c>s for the value shapes operators type — whole numbers in a range,
/// <c>key=value</c> and <c>skill:level</c> pairs — each failing with an error that names its option or argument.
/// </summary>
internal static class ArgumentParsers
{
    /// <summary>A whole number from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static Func<ArgumentResult, int> Integer(int minimum = int.MinValue, int maximum = int.MaxValue) => result =>
    {
        var text = Last(result);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{NameOf(result)}: '{text}' is not an integer");
        }
        else if (value < minimum || value > maximum)
        {
            result.AddError(maximum == int.MaxValue
                ? $"{NameOf(result)}: must be at least {minimum.ToString(CultureInfo.InvariantCulture)}"
                : $"{NameOf(result)}: must be {minimum.ToString(CultureInfo.InvariantCulture)}..{maximum.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    };

    /// <summary>Every value of a repeatable <c>key=value</c> option (or <c>key:value</c>, by <paramref name="separator"/>), in order.</summary>
    public static Func<ArgumentResult, IReadOnlyList<KeyValuePair<string, string>>> Pairs(char separator) => result =>
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var token in result.Tokens)
        {
            var at = token.Value.IndexOf(separator, StringComparison.Ordinal);
            if (at <= 0)
            {
                result.AddError($"{NameOf(result)}: '{token.Value}' is not of the form key{separator}value");
                continue;
            }

            pairs.Add(new(token.Value[..at], token.Value[(at + 1)..]));
        }

        return pairs;
    };

    /// <summary>
    /// <c>name:level</c> values, the level a whole number, split at the last colon: <c>spanish:7 billing:6</c>.
    /// With <paramref name="eachOnce"/>, a name given twice is an error (a set of skills, not a list of requirements).
    /// </summary>
    public static Func<ArgumentResult, IReadOnlyList<KeyValuePair<string, int>>> SkillLevels(bool eachOnce) => result =>
    {
        var skills = new List<KeyValuePair<string, int>>();
        foreach (var token in result.Tokens)
        {
            var text = token.Value;
            var at = text.LastIndexOf(':');
            if (at <= 0 || !int.TryParse(text.AsSpan(at + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var level))
            {
                result.AddError($"{NameOf(result)}: '{text}' is not of the form skill:level (e.g. spanish:7)");
                continue;
            }

            var skill = text[..at];
            if (eachOnce && skills.Exists(s => s.Key == skill))
            {
                result.AddError($"{NameOf(result)}: skill '{skill}' is given more than once");
                continue;
            }

            skills.Add(new(skill, level));
        }

        return skills;
    };

    /// <summary>How an error names what was mistyped: <c>--max</c> for an option, <c>&lt;priority&gt;</c> for an argument.</summary>
    public static string NameOf(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Parent is OptionResult option ? option.Option.Name : $"<{result.Argument.Name}>";
    }

    private static string Last(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
}
