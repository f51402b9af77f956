using System.Globalization;

namespace Omnichannel.Routing.LoadTests;

/// <summary>Reads counters out of a Prometheus text exposition, as a host's metrics endpoint serves it.</summary>
internal static class PrometheusExposition
{
    /// <summary>
    /// The sum of every series of one counter; with <paramref name="label"/> (<c>name="value"</c>), only of the series
    /// that carry it. Zero when there is none.
    /// </summary>
    public static long Sum(string exposition, string name, string? label = null) => (long)Total(exposition, name, label);

    /// <summary>As <see cref="Sum"/>, for a counter whose values are fractions (seconds).</summary>
    public static double Total(string exposition, string name, string? label = null) => Values(exposition, name, label).Sum();

    /// <summary>True if the exposition holds at least one series of <paramref name="name"/>.</summary>
    public static bool Has(string exposition, string name) => Values(exposition, name, label: null).Any();

    private static IEnumerable<double> Values(string exposition, string name, string? label)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        ArgumentNullException.ThrowIfNull(name);
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || line[name.Length] is not ('{' or ' '))
            {
                continue;
            }

            // "name{labels} value [timestamp]": the value follows the closing brace (or the name), before any timestamp.
            var labelsEnd = line[name.Length] == '{' ? line.IndexOf('}', StringComparison.Ordinal) + 1 : name.Length;
            if (label is not null && !line.AsSpan(name.Length, labelsEnd - name.Length).Contains(label, StringComparison.Ordinal))
            {
                continue;
            }

            var value = line[labelsEnd..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                yield return v;
            }
        }
    }
}
