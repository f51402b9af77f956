using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Grains;

namespace Omnichannel.Routing.Api.Tests.Support;

/// <summary>
/// One in-process silo wired the way the host wires it (the grains', the storage's and the API's own Add… methods),
/// shared by the service tests; the services are built from its container and called directly, each through the
/// error interceptor as the server would. Tests isolate by unique ids.
/// </summary>
public sealed class ApiHost : IAsyncLifetime
{
    /// <summary>The longest a test waits for a state to be reached.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly RoutingErrorInterceptor _interceptor = new(NullLogger<RoutingErrorInterceptor>.Instance);
    private IHost _host = null!;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: "api-tests", clusterId: Guid.NewGuid().ToString("N"));
            silo.AddEmbeddedRoutingStorage();
            silo.AddMemoryStreams(LiveFeeds.Provider);
            silo.AddMemoryGrainStorage("PubSubStore");
        });
        builder.Services.AddRoutingGrains();
        builder.Services.Configure<RoutingOptions>(o =>
        {
            // Desktops in these tests stay attached unless a test says otherwise.
            o.OfferStreamGrace = TimeSpan.FromMinutes(10);
            o.OfferStreamLease = TimeSpan.FromMinutes(10);
        });
        builder.Services.AddRoutingApi(builder.Configuration);
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    /// <summary>A service class built from the silo's container, as the server builds it per call.</summary>
    public T Service<T>()
        where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>Calls a unary method the way the server does: through the error interceptor.</summary>
    public Task<TResponse> CallAsync<TRequest, TResponse>(UnaryServerMethod<TRequest, TResponse> method, TRequest request)
        where TRequest : class
        where TResponse : class =>
        _interceptor.UnaryServerHandler(request, TestServerCallContext.Create(), method);

    /// <summary>Starts a server-streaming method through the error interceptor; it runs until the stream ends or <paramref name="cancellation"/> fires.</summary>
    public Task WatchAsync<TRequest, TResponse>(ServerStreamingServerMethod<TRequest, TResponse> method, TRequest request, TestServerStreamWriter<TResponse> stream, CancellationToken cancellation)
        where TRequest : class
        where TResponse : class =>
        _interceptor.ServerStreamingServerHandler(request, stream, TestServerCallContext.Create(cancellationToken: cancellation), method);

    /// <summary>Asserts the call is refused with <paramref name="code"/> and a message that names <paramref name="field"/> first.</summary>
    public static async Task<RpcException> RefusedAsync(StatusCode code, string field, Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        Assert.StartsWith(field + ":", error.Status.Detail, StringComparison.Ordinal);
        return error;
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class SharedApiHost : ICollectionFixture<ApiHost>
{
    public const string Name = "api host";
}
