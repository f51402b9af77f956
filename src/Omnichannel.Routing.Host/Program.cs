using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Omnichannel.Routing.Api;
using Omnichannel.Routing.Grains;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--config-file"] = "Api:ConfigurationFile",
    ["--port"] = "Host:Port",
    ["--listen"] = "Host:ListenAddress",
});

var host = builder.Configuration.GetSection("Host");
var listenAddress = IPAddress.Parse(host["ListenAddress"] ?? "127.0.0.1");
var port = host.GetValue("Port", 50051);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // gRPC without TLS in the embedded default: HTTP/2 only, on loopback unless told otherwise.
    kestrel.Listen(listenAddress, port, listen => listen.Protocols = HttpProtocols.Http2);
    kestrel.Limits.MaxRequestBodySize = RoutingApiExtensions.MaxReceiveMessageSize;
});

var orleans = builder.Configuration.GetSection("Orleans");
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(
        siloPort: orleans.GetValue("SiloPort", 11111),
        gatewayPort: orleans.GetValue("GatewayPort", 30000),
        serviceId: orleans["ServiceId"] ?? "omnichannel-routing",
        clusterId: orleans["ClusterId"] ?? "embedded");
    silo.AddMemoryGrainStorage(RoutingOptions.StorageName);
});

builder.Services.AddRoutingGrains(builder.Configuration);
builder.Services.AddRoutingApi(builder.Configuration);

var app = builder.Build();
app.MapRoutingApi();
app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
    foreach (var address in addresses)
    {
        // Scripts and tests wait for this line.
        Console.WriteLine($"Omnichannel.Routing listening on {address} (gRPC, HTTP/2 without TLS)");
    }
});
app.Run();
