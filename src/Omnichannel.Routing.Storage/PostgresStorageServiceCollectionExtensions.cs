using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Storage.EventLog;
using Omnichannel.Routing.Storage.GrainState;
using Orleans.Storage;

namespace Omnichannel.Routing.Storage;

/// <summary>Registers durable mode's storage: grain state and the event log in PostgreSQL, on one data source.</summary>
public static class PostgresStorageServiceCollectionExtensions
{
    /// <summary>
    /// Grain state (<see cref="PostgresGrainStorage"/>, under <paramref name="grainStorageName"/>) and the event log
    /// (<see cref="PostgresRoutingEventLog"/>, in place of the embedded one), both on <paramref name="dataSource"/>,
    /// which the container then owns and disposes. Each state write commits its events with it.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="dataSource">The host's one data source (<see cref="ConnectionBudget.CreateDataSource"/>).</param>
    /// <param name="grainStorageName">The storage name the grains' persistent state names.</param>
    /// <param name="configuration">Binds the "Storage" and "EventLog" sections when given.</param>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, NpgsqlDataSource dataSource, string grainStorageName, IConfiguration? configuration = null)
    {
        var storage = services.AddOptions<PostgresStorageOptions>();
        var eventLog = services.AddOptions<PostgresRoutingEventLogOptions>();
        if (configuration is not null)
        {
            storage.Bind(configuration.GetSection(PostgresStorageOptions.Section));
            eventLog.Bind(configuration.GetSection(PostgresRoutingEventLogOptions.Section));
        }

        services.TryAddSingleton(_ => dataSource);
        services.AddSingleton<StateCommitter>();
        services.AddSingleton<PostgresGrainStorage>();
        services.AddKeyedSingleton<IGrainStorage>(grainStorageName, (sp, _) => sp.GetRequiredService<PostgresGrainStorage>());
        services.AddSingleton(sp => new PostgresRoutingEventLog(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<IOptions<PostgresRoutingEventLogOptions>>(),
            sp.GetRequiredService<ILogger<PostgresRoutingEventLog>>())
        {
            CommitsWithState = true,
        });
        services.Replace(ServiceDescriptor.Singleton<IRoutingEventLog>(sp => sp.GetRequiredService<PostgresRoutingEventLog>()));
        return services;
    }
}
