using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Omnichannel.Routing.EchoServer;

// Kestrel and gRPC set up as src/Omnichannel.Routing.Host sets them up (HTTP/2 without TLS on loopback, the same
// message size bound, no detailed errors), minus Orleans: what is left is the cost of gRPC itself.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--port"] = "Host:Port" });
var port = builder.Configuration.GetValue("Host:Port", 50061);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
    kestrel.Limits.MaxRequestBodySize = 256 * 1024;
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddGrpc(o =>
{
    o.MaxReceiveMessageSize = 256 * 1024;
    o.EnableDetailedErrors = false;
});

var app = builder.Build();
app.MapGrpcService<EchoGrpcService>();
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
    {
        // The load program waits for this line, as it does for the engine host's.
        Console.WriteLine($"Omnichannel.Routing.EchoServer listening on {address}");
    }
});
await app.RunAsync();
