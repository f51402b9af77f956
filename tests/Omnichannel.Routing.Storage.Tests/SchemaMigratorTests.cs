using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;
using Orleans.Runtime.MembershipService;
using Orleans.Storage;

namespace Omnichannel.Routing.Storage.Tests;

[Collection(SharedPostgresServer.Name)]
public sealed class SchemaMigratorTests
{
    /// <summary>Every key the two providers look up, as read from their 10.4.2 assemblies (see the migrations' headers).</summary>
    private static readonly string[] ProviderQueryKeys =
    [
        // Clustering: all required by the membership table and gateway list provider at start.
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        // Clustering, optional: preferred for clean-up when present.
        "CleanupDefunctSiloEntryKey",
        // Persistence: read, write and clear are required; delete only with DeleteStateOnClear.
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
    ];

    [Fact]
    public async Task Migrating_a_fresh_database_applies_every_script_and_creates_the_orleans_tables_and_queries()
    {
        var server = await PostgresServer.SharedAsync();
        await using var database = await server.CreateDatabaseAsync();

        Assert.Empty(await SchemaMigrator.AppliedAsync(database.ConnectionString));
        var applied = await SchemaMigrator.MigrateAsync(database.ConnectionString);

        Assert.Equal(SchemaMigrator.Versions, applied);
        Assert.Contains("0001_orleans_clustering", applied);
        Assert.Contains("0002_orleans_persistence", applied);
        Assert.Equal(applied, await SchemaMigrator.AppliedAsync(database.ConnectionString));

        foreach (var table in new[] { "orleansquery", "orleans_cluster", "orleans_cluster_silo", "orleans_grain_state", SchemaMigrator.VersionsTable })
        {
            Assert.True(await database.ScalarAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", ("table", table)), $"table {table}");
        }

        var keys = await QueryKeysAsync(database);
        Assert.Equal(ProviderQueryKeys.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public async Task The_stored_queries_cover_every_key_the_installed_providers_look_up()
    {
        var server = await PostgresServer.SharedAsync();
        await using var database = await server.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(database.ConnectionString);
        var keys = await QueryKeysAsync(database);

        // The membership provider refuses to start unless every internal property of its DbStoredQueries names a
        // stored key; reading them from the assembly keeps this test honest when Orleans is upgraded.
        var storedQueries = typeof(AdoNetClusteringTable).Assembly.GetTypes().Single(t => t.Name == "DbStoredQueries");
        var clusteringKeys = storedQueries.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic).Select(p => p.Name).ToList();
        Assert.NotEmpty(clusteringKeys);
        Assert.All(clusteringKeys, key => Assert.Contains(key, keys));

        var persistenceKeys = Regex.Matches(AdoNetGrainStorage.DefaultInitializationQuery, "QueryKey = '(?<key>[A-Za-z]+)'")
            .Select(m => m.Groups["key"].Value)
            .ToList();
        Assert.Equal(4, persistenceKeys.Count);
        Assert.All(persistenceKeys, key => Assert.Contains(key, keys));
    }

    [Fact]
    public async Task Migrating_twice_applies_nothing_the_second_time_and_leaves_the_schema_unchanged()
    {
        var server = await PostgresServer.SharedAsync();
        await using var database = await server.CreateDatabaseAsync();

        Assert.NotEmpty(await SchemaMigrator.MigrateAsync(database.ConnectionString));
        var before = await SchemaDumpAsync(database);
        var appliedAt = await database.ScalarAsync<string>(
            $"SELECT string_agg(version || '@' || applied_at::text, ',' ORDER BY version) FROM {SchemaMigrator.VersionsTable}");

        Assert.Empty(await SchemaMigrator.MigrateAsync(database.ConnectionString));

        Assert.Equal(before, await SchemaDumpAsync(database));
        Assert.Equal(appliedAt, await database.ScalarAsync<string>(
            $"SELECT string_agg(version || '@' || applied_at::text, ',' ORDER BY version) FROM {SchemaMigrator.VersionsTable}"));
    }

    [Fact]
    public async Task Migrators_started_together_apply_each_script_exactly_once()
    {
        var server = await PostgresServer.SharedAsync();
        await using var database = await server.CreateDatabaseAsync();
        const int migrators = 4;

        // Hold the migration lock so that every migrator is provably waiting on it at the same moment, then let go.
        await using var holder = await database.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", holder, hold))
        {
            take.Parameters.AddWithValue("key", SchemaMigrator.AdvisoryLockKey);
            await take.ExecuteNonQueryAsync();
        }

        var running = Enumerable.Range(0, migrators).Select(_ => Task.Run(() => SchemaMigrator.MigrateAsync(database.ConnectionString))).ToList();
        await WaitUntilAsync(
            async () => await database.ScalarAsync<long>(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == migrators,
            "every migrator waiting for the lock");
        await hold.CommitAsync();

        var results = await Task.WhenAll(running);

        var applied = results.SelectMany(r => r).ToList();
        Assert.Equal(SchemaMigrator.Versions.Order(StringComparer.Ordinal), applied.Order(StringComparer.Ordinal));
        Assert.Equal(SchemaMigrator.Versions, await SchemaMigrator.AppliedAsync(database.ConnectionString));
        Assert.Equal(ProviderQueryKeys.Length, await database.ScalarAsync<long>("SELECT count(*) FROM orleansquery"));
    }

    [Fact]
    public async Task Applied_versions_of_an_unmigrated_database_are_empty_and_leave_it_untouched()
    {
        var server = await PostgresServer.SharedAsync();
        await using var database = await server.CreateDatabaseAsync();

        Assert.Empty(await SchemaMigrator.AppliedAsync(database.ConnectionString));
        Assert.False(await database.ScalarAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", ("table", SchemaMigrator.VersionsTable)));
    }

    private static async Task<List<string>> QueryKeysAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT querykey FROM orleansquery ORDER BY querykey COLLATE \"C\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    /// <summary>Columns, indexes, functions and stored queries: everything a migration could change.</summary>
    private static Task<string?> SchemaDumpAsync(TestDatabase database) => database.ScalarAsync<string>(
        """
        SELECT concat_ws(E'\n--\n',
            (SELECT string_agg(concat_ws(' ', table_name, column_name, data_type, is_nullable, column_default), E'\n'
                               ORDER BY table_name, ordinal_position)
               FROM information_schema.columns WHERE table_schema = 'public'),
            (SELECT string_agg(indexdef, E'\n' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'),
            (SELECT string_agg(pg_get_functiondef(p.oid), E'\n' ORDER BY p.proname)
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'),
            (SELECT string_agg(querykey || E'\n' || querytext, E'\n' ORDER BY querykey) FROM orleansquery))
        """);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }

            await Task.Delay(25);
        }
    }
}
