using System.Security.Cryptography;
using System.Text;

namespace Omnichannel.Routing.Api;

/// <summary>
/// Interaction ids. With a request_id the id is derived from it, so a retry reaches the same interaction grain and
/// gets the first answer back (contract §4), across restarts too, without a lookup table.
/// </summary>
public static class InteractionIds
{
    public static string New() => Guid.NewGuid().ToString("N");

    public static string ForRequest(string requestId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("omnichannel.routing.v1/RouteInteraction/" + requestId));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
