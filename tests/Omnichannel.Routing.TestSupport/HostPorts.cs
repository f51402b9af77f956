using System.Globalization;

namespace Omnichannel.Routing.TestSupport;

/// <summary>
/// Every port an engine host binds: gRPC, the silo, the Orleans gateway, the Prometheus metrics and the web listener
/// (wallboard, HTTP/JSON, OpenAPI).
/// </summary>
public sealed record HostPorts(int Grpc, int Silo, int Gateway, int Metrics, int Web)
{
    /// <summary>Five distinct free ports, so the host never collides with an engine on the default ports.</summary>
    public static HostPorts Free()
    {
        var ports = FreePorts.Take(5);
        return new HostPorts(ports[0], ports[1], ports[2], ports[3], ports[4]);
    }

    /// <summary>The host's settings that put it on these ports.</summary>
    public IReadOnlyList<string> Settings =>
    [
        string.Create(CultureInfo.InvariantCulture, $"--Host:Port={Grpc}"),
        string.Create(CultureInfo.InvariantCulture, $"--Orleans:SiloPort={Silo}"),
        string.Create(CultureInfo.InvariantCulture, $"--Orleans:GatewayPort={Gateway}"),
        string.Create(CultureInfo.InvariantCulture, $"--Host:MetricsPort={Metrics}"),
        string.Create(CultureInfo.InvariantCulture, $"--Host:WebPort={Web}"),
    ];
}
