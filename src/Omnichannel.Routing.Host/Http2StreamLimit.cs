using System.Globalization;

namespace Omnichannel.Routing.Host;

/// <summary>
/// How many HTTP/2 streams one client connection may hold open at once (<c>Host:Http2MaxStreamsPerConnection</c>).
/// Kestrel's own limit of 100 suits a browser, not a desktop gateway that multiplexes every signed-in agent's offer
/// stream over one connection: its 101st stream (and every call behind it) waits until another one ends.
/// </summary>
internal sealed class Http2StreamLimit
{
    /// <summary>The setting's name, as a refusal names it.</summary>
    public const string Setting = "Host:Http2MaxStreamsPerConnection";

    /// <summary>
    /// Sized for gateways: one open stream per signed-in agent, and a site's gateway may hold a few thousand. An idle
    /// open stream costs the host little (a stream object and its headers; buffers are pooled and taken only while
    /// data moves), and the limit is a ceiling, not a reservation.
    /// </summary>
    public const int Default = 5_000;

    private Http2StreamLimit(int maxStreamsPerConnection, string? refusal)
    {
        MaxStreamsPerConnection = maxStreamsPerConnection;
        Refusal = refusal;
    }

    /// <summary>The limit to give Kestrel (<c>Limits.Http2.MaxStreamsPerConnection</c>).</summary>
    public int MaxStreamsPerConnection { get; }

    /// <summary>Null when the setting is usable; otherwise why the host must not start with it.</summary>
    public string? Refusal { get; }

    /// <summary>Reads the setting; absent, it is <see cref="Default"/>; it must be a whole number of at least 1.</summary>
    public static Http2StreamLimit From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new Http2StreamLimit(Default, null);
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) && limit >= 1
            ? new Http2StreamLimit(limit, null)
            : new Http2StreamLimit(Default, $"{Setting} must be a whole number of at least 1 (open HTTP/2 streams per client connection; default {Default}), not '{text}'");
    }
}
