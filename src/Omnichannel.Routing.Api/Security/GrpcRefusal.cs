using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// Answers a gRPC call refused before it reached its service (authentication, authorisation, rate limits) the way a
/// service would: HTTP 200 with the gRPC status in a trailers-only response. A bare 401/403/503 would be translated by
/// clients, and 503 becomes UNAVAILABLE, which clients retry at once. An HTTP/JSON call gets what JSON transcoding
/// answers for a service's own errors: the HTTP status of the code and a google.rpc.Status body.
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

        if (!IsGrpc(http.Request))
        {
            response.StatusCode = HttpStatusOf(code);
            return response.WriteAsJsonAsync(new RefusalBody((int)code, message, []));
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return response.CompleteAsync();
    }

    /// <summary>The HTTP status JSON transcoding gives each code a refusal can carry.</summary>
    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    // The shape of google.rpc.Status in JSON, as the transcoded services answer their own errors.
    private sealed record RefusalBody(int Code, string Message, object[] Details);
}
