using System.Data.Common;
using Npgsql;

namespace Omnichannel.Routing.Storage;

/// <summary>
/// How many PostgreSQL connections one host may hold: its one <see cref="NpgsqlDataSource"/> (grain state, event
/// log, migrations) pooled up to <see cref="PostgresStorageOptions.MaxPoolSize"/>, plus the clustering provider's
/// own small pool. A silo thus holds at most <c>MaxPoolSize + ClusteringPoolSize</c> connections.
/// </summary>
public static class ConnectionBudget
{
    /// <summary>
    /// The clustering provider's pool. Orleans' ADO.NET membership takes a connection string, not a data source, so it
    /// pools apart; it runs a few small queries every few seconds (heartbeats, table reads, probes' votes), which never
    /// need more than a handful of connections, and an explicit bound keeps it from taking Npgsql's default of 100.
    /// </summary>
    public const int ClusteringPoolSize = 4;

    /// <summary>
    /// Statements Npgsql prepares on each connection once used a few times (<c>Max Auto Prepare</c>). The engine sends a
    /// handful of fixed statements (a state write with its events and projection is one CTE); unprepared, PostgreSQL
    /// plans each one again on every call, which measured as much CPU as running them (docs/benchmarks.md).
    /// </summary>
    public const int PreparedStatements = 64;

    /// <summary>
    /// The host's data source: <paramref name="connectionString"/> with <c>Maximum Pool Size</c> from
    /// <paramref name="options"/>, <c>No Reset On Close</c> on and <c>Max Auto Prepare</c> at
    /// <see cref="PreparedStatements"/>, each unless the string sets it itself. Without a reset, a connection handed
    /// back to the pool is reused as it is, its prepared statements with it: the engine leaves no session state behind
    /// (no SET, no temporary tables, no session locks), and the reset would cost a round trip on each reuse and drop
    /// the prepared statements. Migrations run before the engine sends anything, so no prepared statement outlives a
    /// change of the tables it reads.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return NpgsqlDataSource.Create(DataSourceConnectionString(connectionString, options.MaxPoolSize));
    }

    /// <summary>The connection string of <see cref="CreateDataSource"/>.</summary>
    public static string DataSourceConnectionString(string connectionString, int maxPoolSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoolSize, 1);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets(connectionString, "maximumpoolsize", "maxpoolsize"))
        {
            builder.MaxPoolSize = maxPoolSize;
        }

        if (!Sets(connectionString, "noresetonclose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!Sets(connectionString, "maxautoprepare"))
        {
            builder.MaxAutoPrepare = PreparedStatements;
        }

        return builder.ConnectionString;
    }

    /// <summary>The clustering provider's connection string: the same database, pooled up to <see cref="ClusteringPoolSize"/>.</summary>
    public static string ClusteringConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = ClusteringPoolSize }.ConnectionString;
    }

    // Whether the user's own string names the setting, under any of Npgsql's spellings (case and spaces do not count).
    private static bool Sets(string connectionString, params string[] keys)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.Keys.Cast<string>().Any(k => keys.Contains(k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()));
    }
}
