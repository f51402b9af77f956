using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// Answers a gRPC call refused before it reached its service (authentication, authorisation, rate limits) the way a
/// service would: HTTP 200 with the gRPC status in a trailers-only response. A bare 401/403/503 would be translated by
/// clients, and 503 becomes UNAVAILABLE, which clients retry at once.
/// </summary>
public static class GrpcRefusal
{
    public static Task WriteAsync(HttpContext http, StatusCode code, string message)
    {
        ArgumentNullException.ThrowIfNull(http);
        var response = http.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return response.CompleteAsync();
    }
}
