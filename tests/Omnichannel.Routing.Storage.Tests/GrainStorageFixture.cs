using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Storage.GrainState;
using Orleans.Serialization;

namespace Omnichannel.Routing.Storage.Tests;

/// <summary>
/// The engine's grain storage on a migrated database of its own, without a silo: the host's data source, the
/// group-commit writer and the storage, as durable mode wires them. Disposing it is a process ending: pending
/// transactions finish, then the connections close.
/// </summary>
internal sealed class GrainStorageFixture : IAsyncDisposable
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private GrainStorageFixture(TestDatabase database, NpgsqlDataSource dataSource, StateCommitter committer)
    {
        Database = database;
        DataSource = dataSource;
        Committer = committer;
        Storage = new PostgresGrainStorage(committer, Serializer);
    }

    public TestDatabase Database { get; }

    public NpgsqlDataSource DataSource { get; }

    public StateCommitter Committer { get; }

    public PostgresGrainStorage Storage { get; }

    public static async Task<GrainStorageFixture> StartAsync(PostgresStorageOptions? options = null)
    {
        var server = await PostgresServer.SharedAsync();
        var database = await server.CreateDatabaseAsync();
        options ??= new PostgresStorageOptions();
        var dataSource = ConnectionBudget.CreateDataSource(database.ConnectionString, options);
        await SchemaMigrator.MigrateAsync(dataSource);
        return new GrainStorageFixture(database, dataSource, new StateCommitter(dataSource, Options.Create(options), NullLogger<StateCommitter>.Instance));
    }

    /// <summary>A second storage on the same database, as a second process (or a duplicate activation's silo) has.</summary>
    public (PostgresGrainStorage Storage, IAsyncDisposable Lifetime) SecondProcess()
    {
        var dataSource = ConnectionBudget.CreateDataSource(Database.ConnectionString, new PostgresStorageOptions());
        var committer = new StateCommitter(dataSource, Options.Create(new PostgresStorageOptions()), NullLogger<StateCommitter>.Instance);
        return (new PostgresGrainStorage(committer, Serializer), new Lifetime(committer, dataSource));
    }

    public async ValueTask DisposeAsync()
    {
        await Committer.DisposeAsync();
        await DataSource.DisposeAsync();
        await Database.DisposeAsync();
    }

    private sealed class Lifetime(StateCommitter committer, NpgsqlDataSource dataSource) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await committer.DisposeAsync();
            await dataSource.DisposeAsync();
        }
    }
}

/// <summary>A grain state as the engine's records are: some data, and the events the outbox holds.</summary>
[GenerateSerializer]
public sealed class LedgerState : IHoldsUnloggedEvents
{
    [Id(0)]
    public string? Value { get; set; }

    [Id(1)]
    public List<RoutingEvent> UnloggedEvents { get; set; } = [];

    IReadOnlyList<RoutingEvent> IHoldsUnloggedEvents.UnloggedEvents => UnloggedEvents;
}
