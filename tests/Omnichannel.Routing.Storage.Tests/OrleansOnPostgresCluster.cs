using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace Omnichannel.Routing.Storage.Tests;

/// <summary>
/// Two in-process silos and a client, clustered and persisting through the Orleans ADO.NET providers on a freshly
/// migrated database of their own. Membership and gateway discovery use PostgreSQL, not the test cluster's in-memory
/// membership, so the silos only find each other (and the client only finds them) through the stored queries.
/// </summary>
public sealed class OrleansOnPostgresCluster : IAsyncLifetime
{
    public const string StorageName = "routing";

    /// <summary>A second provider on the same tables whose clear deletes the row (the optional DeleteStorageKey).</summary>
    public const string DeletingStorageName = "routing-deleting";

    private const string ConnectionStringKey = "RoutingTests:PostgresConnectionString";

    public TestCluster Cluster { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    public string ClusterId { get; } = "routing-test-" + Guid.NewGuid().ToString("N")[..8];

    public string ServiceId { get; } = "routing-service-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        Database = await server.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(Database.ConnectionString);

        var builder = new TestClusterBuilder(2);
        builder.Options.ClusterId = ClusterId;
        builder.Options.ServiceId = ServiceId;
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionStringKey] = Database.ConnectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        // DeployAsync returns once each silo has started. Wait until the silos' membership views, the client's gateway
        // list and the grain directory agree, so that every test starts from a settled two-silo cluster.
        await Cluster.WaitForLivenessToStabilizeAsync();
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey];
            siloBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            siloBuilder.AddAdoNetGrainStorage(StorageName, o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            siloBuilder.AddAdoNetGrainStorage(DeletingStorageName, o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
                o.DeleteStateOnClear = true;
            });
        }
    }

    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = configuration[ConnectionStringKey];
            });
    }
}
