using System.Net;
using System.Net.Sockets;

namespace Omnichannel.Routing.TestSupport;

/// <summary>
/// Free TCP ports on loopback, chosen by the kernel: free when taken, for a process that binds them moments later.
/// Every server a test starts takes its ports here, so a suite runs beside an engine on the default ports.
/// </summary>
public static class FreePorts
{
    /// <summary>One free port.</summary>
    public static int Take() => Take(1)[0];

    /// <summary><paramref name="count"/> distinct free ports.</summary>
    public static IReadOnlyList<int> Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);

        // Every listener stays open until all ports are read, so one call never answers the same port twice.
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }
}
