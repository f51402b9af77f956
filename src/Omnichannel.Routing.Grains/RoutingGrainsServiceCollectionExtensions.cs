using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>Registers what the grains need from the container.</summary>
public static class RoutingGrainsServiceCollectionExtensions
{
    public static IServiceCollection AddRoutingGrains(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<RoutingOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(RoutingOptions.Section));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(RoutingOptions.ClockKey, TimeProvider.System);
        services.TryAddSingleton<IRoutingEventLog, InMemoryRoutingEventLog>();
        var recovery = services.AddOptions<RecoveryOptions>();
        if (configuration is not null)
        {
            recovery.Bind(configuration.GetSection(RecoveryOptions.Section));
        }

        services.AddSingleton<RecoveryStatus>();
        services.AddSingleton<EngineRecovery>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<EngineRecovery>());
        return services;
    }
}
