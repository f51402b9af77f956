using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;

namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>Durations as operators type and read them: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>, <c>1m30s</c>.</summary>
internal static partial class DurationText
{
    /// <summary>Parses <paramref name="text"/>; a bare number is seconds.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = TimeSpan.Zero;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var bareSeconds))
        {
            if (bareSeconds < 0 || double.IsInfinity(bareSeconds) || double.IsNaN(bareSeconds))
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
    public static string Format(Duration? duration) => duration is null ? string.Empty : Format(duration.ToTimeSpan());

    [GeneratedRegex(@"(?<amount>\d+(\.\d+)?)(?<unit>ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationParts();
}
