using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Api.HttpJson;
using Omnichannel.Routing.Api.Security;
using Omnichannel.Routing.Api.Services;
using Omnichannel.Routing.Api.Wallboard;

namespace Omnichannel.Routing.Api;

/// <summary>Wires the gRPC surface into a host.</summary>
public static class RoutingApiExtensions
{
    /// <summary>Largest request accepted, in bytes (contract §7: message sizes are bounded).</summary>
    public const int MaxReceiveMessageSize = 256 * 1024;

    public static IServiceCollection AddRoutingApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section));
        services.AddRoutingSecurity(configuration);
        services.AddGrpc(o =>
        {
            // Outermost first: the audit sees the status the error interceptor settles on.
            o.Interceptors.Add<AuditInterceptor>();
            o.Interceptors.Add<WatchStreamLimit>();
            o.Interceptors.Add<RoutingErrorInterceptor>();
            o.Interceptors.Add<StreamDrainInterceptor>();
            o.MaxReceiveMessageSize = MaxReceiveMessageSize;
            o.EnableDetailedErrors = false;
        }).AddJsonTranscoding();
        services.AddRoutingOpenApi();
        services.AddGrpcReflection();
        services.AddSingleton<HealthServiceImpl>();
        services.AddHostedService<EngineHealth>();
        services.AddSingleton<AdminOperations>();
        services.AddSingleton<RegistryPager>();
        services.AddSingleton<RouteAdmission>();
        services.AddSingleton<ObserverRenewals>();
        services.AddHostedService(sp => sp.GetRequiredService<ObserverRenewals>());
        services.AddHostedService<ConfigurationFileLoader>();
        return services;
    }

    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<RoutingGrpcService>();
        endpoints.MapGrpcService<AgentGrpcService>();
        endpoints.MapGrpcService<AdminGrpcService>();
        endpoints.MapGrpcService<WorkforceGrpcService>();
        endpoints.MapGrpcService<SupervisorGrpcService>();
        endpoints.MapGrpcService<CustomerGrpcService>();
        endpoints.MapGrpcService<ReportingGrpcService>();
        endpoints.MapGrpcService<WallboardGrpcService>();
        endpoints.MapGrpcService<HealthServiceImpl>();
        endpoints.MapGrpcReflectionService();
        endpoints.MapRoutingOpenApi();
        endpoints.MapWallboard();
        return endpoints;
    }
}
