using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.Extensions.Hosting;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Api;

/// <summary>
/// grpc.health.v1 for the engine, what a readiness probe asks. NOT_SERVING from start until the host has started (the
/// silo is up by then) and the silo's first recovery pass is done (<see cref="RecoveryStatus"/>: in durable mode, until
/// the queues have their waiting lines back and the agents holding work their timers; at once in the embedded
/// default), then SERVING; NOT_SERVING again when the host stops. Set here rather than by ASP.NET's periodic health
/// publisher, which answers UNKNOWN for the empty service name until its first run.
/// </summary>
public sealed class EngineHealth(HealthServiceImpl health, IHostApplicationLifetime lifetime, RecoveryStatus recovery) : IHostedService
{
    /// <summary>The six services of the contract (§5), each with its own status, and "" for the whole server.</summary>
    public static readonly string[] Services =
    [
        string.Empty,
        "omnichannel.routing.v1.RoutingService",
        "omnichannel.routing.v1.AgentService",
        "omnichannel.routing.v1.WorkforceService",
        "omnichannel.routing.v1.SupervisorService",
        "omnichannel.routing.v1.AdminService",
        "omnichannel.routing.v1.CustomerService",
    ];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Set(HealthCheckResponse.Types.ServingStatus.NotServing);
        lifetime.ApplicationStarted.Register(() => _ = ServeOnceRecoveredAsync());
        lifetime.ApplicationStopping.Register(() => Set(HealthCheckResponse.Types.ServingStatus.NotServing));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ServeOnceRecoveredAsync()
    {
        try
        {
            await recovery.Recovered.WaitAsync(lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            Set(HealthCheckResponse.Types.ServingStatus.Serving);
        }
    }

    private void Set(HealthCheckResponse.Types.ServingStatus status)
    {
        foreach (var service in Services)
        {
            health.SetStatus(service, status);
        }
    }
}
