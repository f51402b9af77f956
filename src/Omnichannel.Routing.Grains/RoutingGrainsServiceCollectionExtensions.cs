using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Grains.PersonalData;

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

        var retention = services.AddOptions<RetentionOptions>();
        if (configuration is not null)
        {
            retention.Bind(configuration.GetSection(RetentionOptions.Section));
        }

        services.TryAddSingleton<Agents.OfferLeaseSweep>();
        services.TryAddSingleton<ArmedTimers>();
        services.TryAddSingleton<LiveFeedAudience>();
        services.TryAddSingleton<CustomerPseudonyms>();
        services.TryAddSingleton<CustomerErasure>();
        services.AddHostedService<ContextRetention>();
        services.AddSingleton<RecoveryStatus>();
        services.AddSingleton<EngineRecovery>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<EngineRecovery>());
        return services;
    }
}
