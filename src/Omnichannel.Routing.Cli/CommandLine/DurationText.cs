using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>
/// Durations as operators type and read them: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>, <c>1m30s</c>, or a bare
/// number of seconds. The one duration grammar of the command-line programs: this file is compiled into the CLI and
/// linked into the load program (which shares no project with the CLI), so both read durations alike.
/// </summary>
internal static partial class DurationText
{
    /// <summary>What a duration looks like, for error messages and help.</summary>
    public const string Examples = "e.g. 500ms, 30s, 2m, 1h, 1m30s";

    /// <summary>Parses <paramref name="text"/>; a bare number is seconds. Negative, infinite and empty durations are refused.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = TimeSpan.Zero;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var bareSeconds))
        {
            if (bareSeconds < 0 || !double.IsFinite(bareSeconds))
            {
                return false;
            }

            duration = TimeSpan.FromSeconds(bareSeconds);
            return true;
        }

        var parts = DurationParts().Matches(text);
        if (parts.Count == 0 || parts.Sum(p => p.Length) != text.Length)
        {
            return false;
        }

        foreach (Match part in parts)
        {
            var amount = double.Parse(part.Groups["amount"].Value, CultureInfo.InvariantCulture);
            duration += part.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }

        return true;
    }

    /// <summary>
    /// A System.CommandLine <c>CustomParser</c> for a duration option or argument: its last token as a duration, or a
    /// parse error that names the option (<c>--wrap-up-after: 'soon' is not a duration (e.g. …)</c>).
    /// </summary>
    public static TimeSpan Parse(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return ParseAtLeast(result, TimeSpan.Zero);
    }

    /// <summary>As <see cref="Parse"/>, for a duration that must be more than zero.</summary>
    public static TimeSpan ParsePositive(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return ParseAtLeast(result, TimeSpan.FromTicks(1));
    }

    /// <summary><c>1m30s</c>, <c>500ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Format(duration.Negate());
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            return duration == TimeSpan.Zero ? "0s" : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0.###}ms");
        }

        var text = new StringBuilder();
        if (duration.TotalHours >= 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h");
        }

        if (duration.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}m");
        }

        var seconds = duration.Seconds + (duration.Milliseconds / 1000.0);
        if (seconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{seconds:0.###}s");
        }

        return text.ToString();
    }

    /// <summary>Formats a protobuf duration; empty when it is unset.</summary>
    public static string Format(Google.Protobuf.WellKnownTypes.Duration? duration) => duration is null ? string.Empty : Format(duration.ToTimeSpan());

    private static TimeSpan ParseAtLeast(ArgumentResult result, TimeSpan minimum)
    {
        var name = result.Parent is OptionResult option ? option.Option.Name : $"<{result.Argument.Name}>";
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (!TryParse(text, out var duration))
        {
            result.AddError($"{name}: '{text}' is not a duration ({Examples})");
            return TimeSpan.Zero;
        }

        if (duration < minimum)
        {
            result.AddError($"{name}: must be more than zero");
        }

        return duration;
    }

    [GeneratedRegex(@"(?<amount>\d+(\.\d+)?)(?<unit>ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationParts();
}
