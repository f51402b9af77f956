using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Omnichannel.Routing.Api.Security;

namespace Omnichannel.Routing.Api.HttpJson;

/// <summary>
/// Runs <see cref="JsonBodyShape"/> on the body of each transcoded call that has one, and answers a misshapen body
/// 400 INVALID_ARGUMENT naming the field, in the transcoder's own error shape. Bodies over the gRPC message limit are
/// left to the transcoder, which refuses them.
/// </summary>
public static class JsonBodyCheck
{
    public static IApplicationBuilder UseJsonBodyCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var transcoded = http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        if (transcoded is null || string.IsNullOrEmpty(transcoded.HttpRule.Body) || http.Request.ContentLength is 0 or > RoutingApiExtensions.MaxReceiveMessageSize)
        {
            await next(http);
            return;
        }

        http.Request.EnableBuffering();
        var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        http.Request.Body.Position = 0;
        if (body.Length > 0 && BodyMessage(transcoded) is { } message && JsonBodyShape.ProblemIn(body.GetBuffer().AsSpan(0, (int)body.Length), message) is { } problem)
        {
            await GrpcRefusal.WriteAsync(http, Grpc.Core.StatusCode.InvalidArgument, problem);
            return;
        }

        await next(http);
    });

    // body: "*" is the whole request; body: "queue" is that one field of it.
    private static MessageDescriptor? BodyMessage(GrpcJsonTranscodingMetadata transcoded) =>
        transcoded.HttpRule.Body == "*"
            ? transcoded.MethodDescriptor.InputType
            : transcoded.MethodDescriptor.InputType.FindFieldByName(transcoded.HttpRule.Body)?.MessageType;
}
