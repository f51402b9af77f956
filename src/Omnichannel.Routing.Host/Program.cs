using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Api;
using Omnichannel.Routing.Api.HttpJson;
using Omnichannel.Routing.Api.Security;
using Omnichannel.Routing.Api.Wallboard;
using Omnichannel.Routing.Grains;
using Omnichannel.Routing.Host;
using Omnichannel.Routing.Storage;
using OpenTelemetry.Metrics;
using Orleans.Configuration;

var insecureFlag = HostTransport.TakeInsecureFlag(ref args);
// Settings (appsettings.json) live next to the binaries, wherever the host is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--config-file"] = "Api:ConfigurationFile",
    ["--port"] = "Host:Port",
    ["--listen"] = "Host:ListenAddress",
    ["--postgres"] = "ConnectionStrings:Routing",
});

// Durable mode when a PostgreSQL connection string is set (ConnectionStrings:Routing, or the environment variable
// ConnectionStrings__Routing); the embedded default otherwise.
var postgres = builder.Configuration.GetConnectionString("Routing");
if (args.Contains("migrate"))
{
    // `migrate`: create or upgrade the schema, then exit. Idempotent: a second run applies nothing.
    if (string.IsNullOrEmpty(postgres))
    {
        Console.Error.WriteLine("migrate needs a PostgreSQL connection string: --postgres \"Host=...;Username=...;Database=...\"");
        return 2;
    }

    await using var migrations = ConnectionBudget.CreateDataSource(postgres, StorageOptions(builder.Configuration));
    var applied = await SchemaMigrator.MigrateAsync(migrations);
    Console.WriteLine(applied.Count == 0 ? "schema is up to date" : $"applied {string.Join(", ", applied)}");
    return 0;
}

var host = builder.Configuration.GetSection("Host");
var listenAddress = IPAddress.Parse(host["ListenAddress"] ?? "127.0.0.1");
var transport = HostTransport.From(builder.Configuration, insecureFlag);
if (transport.RefusalFor(listenAddress) is { } refusal)
{
    Console.Error.WriteLine(refusal);
    return 2;
}

var streamLimit = Http2StreamLimit.From(builder.Configuration);
if (streamLimit.Refusal is { } badLimit)
{
    Console.Error.WriteLine(badLimit);
    return 2;
}

var port = host.GetValue("Port", 50051);
var metricsPort = host.GetValue("MetricsPort", 9464);
var webPort = host.GetValue("WebPort", 8080);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // gRPC: HTTP/2 only, over TLS when a certificate is configured, on loopback unless told otherwise.
    kestrel.Listen(listenAddress, port, transport.ConfigureGrpc);
    if (webPort > 0)
    {
        kestrel.Listen(listenAddress, webPort, transport.ConfigureWeb);
    }

    if (metricsPort > 0)
    {
        // Prometheus scrapes over HTTP/1.1, so metrics get a port of their own.
        kestrel.Listen(listenAddress, metricsPort, listen => listen.Protocols = HttpProtocols.Http1);
    }

    // No transport-level body cap: gRPC's own message limit (RoutingApiExtensions.MaxReceiveMessageSize) reads the
    // length prefix and refuses with RESOURCE_EXHAUSTED, where Kestrel's cap ended the call as UNKNOWN.
    kestrel.Limits.MaxRequestBodySize = null;
    // A desktop gateway holds every signed-in agent's offer stream on one connection (Http2StreamLimit).
    kestrel.Limits.Http2.MaxStreamsPerConnection = streamLimit.MaxStreamsPerConnection;
});
// A bounded stop: with PostgreSQL unreachable, Orleans' own stop (marking the silo dead, deactivating grains) retries
// for minutes, and an orchestrator would have to SIGKILL the host anyway. Everything acknowledged is already durable.
var shutdownTimeout = host.GetValue("ShutdownTimeout", TimeSpan.FromSeconds(30));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout);

builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(RoutingMetrics.MeterName)
    // Orleans' own: messages between silos, activations, membership — what sizes and watches a cluster.
    .AddMeter("Microsoft.Orleans")
    .AddRuntimeInstrumentation()
    .AddPrometheusExporter());

var orleans = builder.Configuration.GetSection("Orleans");
var siloPort = orleans.GetValue("SiloPort", 11111);
var gatewayPort = orleans.GetValue("GatewayPort", 30000);
var serviceId = orleans["ServiceId"] ?? "omnichannel-routing";
if (string.IsNullOrEmpty(postgres))
{
    builder.UseOrleans(silo =>
    {
        silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: orleans["ClusterId"] ?? "embedded");
        silo.AddEmbeddedRoutingStorage();
        AddLiveFeeds(silo);
    });
}
else
{
    // One data source for everything this host does in the database (grain state, event log, migrations), so its
    // connections are bounded by Storage:MaxPoolSize; README "Connection budget" has the arithmetic.
    var dataSource = ConnectionBudget.CreateDataSource(postgres, StorageOptions(builder.Configuration));
    // The schema first: the membership provider needs its tables and queries before the silo starts.
    await SchemaMigrator.MigrateAsync(dataSource);
    builder.UseOrleans(silo =>
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = orleans["ClusterId"] ?? "durable";
            o.ServiceId = serviceId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(orleans["AdvertisedAddress"] ?? "127.0.0.1"), siloPort, gatewayPort);
        silo.Configure<ClusterMembershipOptions>(DetectDeadSilosWithinSeconds);
        silo.Configure<ClusterMembershipOptions>(orleans.GetSection("Membership"));
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            // Orleans' membership takes a connection string, not a data source, so it pools apart: a small explicit
            // pool (ConnectionBudget.ClusteringPoolSize) instead of Npgsql's default of 100.
            o.ConnectionString = ConnectionBudget.ClusteringConnectionString(postgres);
        });
        AddLiveFeeds(silo);
        transport.SecureSiloConnections(silo);
    });
    builder.Services.AddPostgresStorage(dataSource, RoutingOptions.StorageName, builder.Configuration);
}

builder.Services.AddRoutingGrains(builder.Configuration);
builder.Services.AddRoutingApi(builder.Configuration);

var app = builder.Build();
app.UseRoutingSecurity();
app.UseJsonBodyCheck();
app.MapRoutingApi();
if (metricsPort > 0)
{
    app.MapPrometheusScrapingEndpoint().RequireHost($"*:{metricsPort}");
}

app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
    foreach (var address in addresses)
    {
        if (metricsPort > 0 && new Uri(address).Port == metricsPort)
        {
            Console.WriteLine($"Omnichannel.Routing metrics (Prometheus) on {address}/metrics");
            continue;
        }

        if (webPort > 0 && new Uri(address).Port == webPort)
        {
            Console.WriteLine($"Omnichannel.Routing web on {address}: wallboard {address}{WallboardPage.Path}, HTTP/JSON {address}/v1/..., OpenAPI {address}{RoutingOpenApi.DocumentPath}");
            continue;
        }

        // Scripts and tests wait for this line.
        Console.WriteLine($"Omnichannel.Routing listening on {address} (gRPC, {transport.Description}; {(string.IsNullOrEmpty(postgres) ? "embedded, in memory" : "durable, PostgreSQL")})");
    }

    if (!transport.AuthenticationEnabled)
    {
        // Loud on purpose: the open default is for a first run on one machine, never for a shared network.
        Console.WriteLine($"WARNING: authentication is OFF. Anyone who reaches {listenAddress}:{port} can act as any agent, supervisor or administrator. Set Auth:Issuer, Auth:Audience and a key to require tokens (README, Security).");
    }
});
app.Lifetime.ApplicationStopping.Register(() => ExitIfStopHangs(shutdownTimeout));
await app.RunAsync();
return 0;

// The host's shutdown timeout cancels the stop, but an Orleans lifecycle stage that is waiting on the database does not
// always honour that; past a grace period the process ends itself rather than hang until something kills it.
static void ExitIfStopHangs(TimeSpan shutdownTimeout)
{
    var grace = shutdownTimeout + TimeSpan.FromSeconds(10);
    _ = Task.Run(async () =>
    {
        await Task.Delay(grace);
        // Not Environment.Exit: its exit handlers wait for the very host stop that is stuck.
        Environment.FailFast($"Omnichannel.Routing: stop did not finish within {grace}; exiting without it (acknowledged work is already durable)");
    });
}

static PostgresStorageOptions StorageOptions(IConfiguration configuration) =>
    configuration.GetSection(PostgresStorageOptions.Section).Get<PostgresStorageOptions>() ?? new PostgresStorageOptions();

// Cluster-mode failure detection. Orleans' defaults (5-s probes, three missed, a 30-s heartbeat) left routes to a
// SIGKILLed silo's grains failing for 8-16 s; these declare it dead within a few seconds (deploy/README.md has the
// measurement). Probe timeouts adapt to observed response times, and two votes are needed where a cluster has three
// silos or more, so one overloaded prober cannot evict a healthy silo alone. `Orleans:Membership` overrides each.
static void DetectDeadSilosWithinSeconds(ClusterMembershipOptions membership)
{
    membership.ProbeTimeout = TimeSpan.FromSeconds(2);
    membership.NumMissedProbesLimit = 2;
    membership.NumVotesForDeathDeclaration = 2;
    membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    membership.TableRefreshTimeout = TimeSpan.FromSeconds(5);
}

// Live figures for watchers (occupancy, queue statistics): in-memory streams, since they are a view of state that
// is already stored; a watcher that reconnects reads the current figures first.
static void AddLiveFeeds(ISiloBuilder silo)
{
    silo.AddMemoryStreams(LiveFeeds.Provider);
    silo.AddMemoryGrainStorage("PubSubStore");
}
