using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Storage.EventLog;
using Omnichannel.Routing.Storage.Recovery;

namespace Omnichannel.Routing.Storage;

/// <summary>Registers the PostgreSQL event log in place of the embedded one, and the stored grain states recovery sweeps.</summary>
public static class PostgresStorageServiceCollectionExtensions
{
    public static IServiceCollection AddPostgresEventLog(this IServiceCollection services, string connectionString, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<PostgresRoutingEventLogOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(PostgresRoutingEventLogOptions.Section));
        }

        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<PostgresRoutingEventLog>();
        services.Replace(ServiceDescriptor.Singleton<IRoutingEventLog>(sp => sp.GetRequiredService<PostgresRoutingEventLog>()));
        services.TryAddSingleton<IStoredGrainStates, PostgresStoredGrainStates>();
        return services;
    }
}
