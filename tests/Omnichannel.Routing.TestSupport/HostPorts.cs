using System.Globalization;

namespace Omnichannel.Routing.TestSupport;

/// <summary>Every port an engine host binds: gRPC, the silo, the Orleans gateway and the Prometheus metrics.</summary>
public sealed record HostPorts(int Grpc, int Silo, int Gateway, int Metrics)
{
    /// <summary>Four distinct free ports, so the host never collides with an engine on the default ports.</summary>
    public static HostPorts Free()
    {
        var ports = FreePorts.Take(4);
        return new HostPorts(ports[0], ports[1], ports[2], ports[3]);
    }

    /// <summary>The host's settings that put it on these ports.</summary>
    public IReadOnlyList<string> Settings =>
    [
        string.Create(CultureInfo.InvariantCulture, $"--Host:Port={Grpc}"),
        string.Create(CultureInfo.InvariantCulture, $"--Orleans:SiloPort={Silo}"),
        string.Create(CultureInfo.InvariantCulture, $"--Orleans:GatewayPort={Gateway}"),
        string.Create(CultureInfo.InvariantCulture, $"--Host:MetricsPort={Metrics}"),
    ];
}
