using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Omnichannel.Routing.Storage;

/// <summary>
/// Brings a PostgreSQL database up to the schema this build needs: the tables and stored queries of the Orleans
/// ADO.NET clustering and persistence providers, then the engine's own tables. The scripts are the embedded
/// <c>Migrations/NNNN_name.sql</c> files, applied in number order, each once, each in its own transaction.
/// </summary>
/// <remarks>
/// Every silo runs this at start. A transaction-scoped advisory lock makes concurrent silos take turns, and each
/// script is re-checked under the lock, so however many start together each script runs exactly once.
/// A script runs whole inside one transaction: it must not BEGIN or COMMIT itself, nor use statements PostgreSQL
/// refuses inside a transaction (CREATE INDEX CONCURRENTLY, ALTER TYPE ... ADD VALUE on older servers).
/// </remarks>
public static partial class SchemaMigrator
{
    /// <summary>The table that records which scripts a database has had.</summary>
    public const string VersionsTable = "routing_schema_migrations";

    /// <summary>
    /// The transaction-scoped advisory lock every migration step holds. Anything else that changes the schema (an
    /// operator's script, a test that must hold migrators back) takes the same lock to take its turn.
    /// </summary>
    /// <remarks>An arbitrary constant: advisory locks are scoped to one database, so it only has to differ from the
    /// other advisory locks taken in the same database.</remarks>
    public const long AdvisoryLockKey = 0x4F6D6E6952747367; // "OmniRtsg"

    private const string ResourcePrefix = "Omnichannel.Routing.Storage.Migrations.";

    /// <summary>The embedded migration scripts' versions (file names without <c>.sql</c>), in the order they apply.</summary>
    public static IReadOnlyList<string> Versions => Scripts.Value.Select(s => s.Version).ToList();

    private static readonly Lazy<IReadOnlyList<MigrationScript>> Scripts = new(LoadScripts);

    /// <summary>
    /// Applies every embedded script the database has not had yet, in order, and answers the versions it applied
    /// (empty when the database was already current).
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string to the database to migrate.</param>
    /// <param name="logger">Where to report each applied script; nothing is logged when null.</param>
    /// <param name="ct">Cancels between and during scripts; a cancelled script's transaction rolls back.</param>
    public static async Task<IReadOnlyList<string>> MigrateAsync(
        string connectionString,
        ILogger? logger = null,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return await MigrateAsync(connection, logger, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="MigrateAsync(string, ILogger?, CancellationToken)"/> on a connection of <paramref name="dataSource"/>,
    /// so a host's migrations count against the same connection budget as everything else it does.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(
        NpgsqlDataSource dataSource,
        ILogger? logger = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await MigrateAsync(connection, logger, ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<string>> MigrateAsync(NpgsqlConnection connection, ILogger? logger, CancellationToken ct)
    {
        logger ??= NullLogger.Instance;
        var scripts = Scripts.Value;

        // Creating the versions table races like any other DDL, so it happens under the lock as well.
        IReadOnlySet<string> applied;
        await using (var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false))
        {
            await LockAsync(connection, transaction, ct).ConfigureAwait(false);
            await ExecuteAsync(
                connection,
                transaction,
                $"""
                CREATE TABLE IF NOT EXISTS {VersionsTable} (
                    version    text        PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                ct).ConfigureAwait(false);
            applied = await ReadAppliedAsync(connection, transaction, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }

        var unknown = applied.Except(scripts.Select(s => s.Version), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            // A newer build migrated this database. Migrations only ever add, so this build can still run on it;
            // it is worth a warning because it usually means a rolling upgrade is half done.
            LogUnknownVersions(logger, string.Join(", ", unknown));
        }

        var appliedNow = new List<string>();
        foreach (var script in scripts.Where(s => !applied.Contains(s.Version)))
        {
            ct.ThrowIfCancellationRequested();
            await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await LockAsync(connection, transaction, ct).ConfigureAwait(false);

            // Another silo may have applied it between our first look and taking the lock.
            if (await IsAppliedAsync(connection, transaction, script.Version, ct).ConfigureAwait(false))
            {
                await transaction.RollbackAsync(ct).ConfigureAwait(false);
                continue;
            }

            await ExecuteAsync(connection, transaction, script.Sql, ct).ConfigureAwait(false);
            await using (var record = new NpgsqlCommand($"INSERT INTO {VersionsTable} (version) VALUES (@version)", connection, transaction))
            {
                record.Parameters.AddWithValue("version", script.Version);
                await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
            appliedNow.Add(script.Version);
            LogApplied(logger, script.Version);
        }

        return appliedNow;
    }

    /// <summary>The versions a database has had, in order; empty when it was never migrated.</summary>
    /// <param name="connectionString">An Npgsql connection string to the database to inspect.</param>
    /// <param name="ct">Cancels the query.</param>
    public static async Task<IReadOnlyList<string>> AppliedAsync(string connectionString, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);

        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("table", VersionsTable);
            if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not true)
            {
                return [];
            }
        }

        var applied = await ReadAppliedAsync(connection, transaction: null, ct).ConfigureAwait(false);
        return applied.Order(StringComparer.Ordinal).ToList();
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<bool> IsAppliedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string version, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {VersionsTable} WHERE version = @version)", connection, transaction);
        command.Parameters.AddWithValue("version", version);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
    }

    private static async Task<IReadOnlySet<string>> ReadAppliedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT version FROM {VersionsTable}", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var versions = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            versions.Add(reader.GetString(0));
        }

        return versions;
    }

    private static List<MigrationScript> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[ResourcePrefix.Length..];
            var match = ScriptName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Embedded migration '{fileName}' is not named NNNN_name.sql (four digits, an underscore, then letters, digits, '_' or '-').");
            }

            var number = int.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
            scripts.Add(new MigrationScript(number, match.Groups["version"].Value, ReadResource(assembly, resource)));
        }

        scripts.Sort((a, b) => a.Number.CompareTo(b.Number));
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Number == scripts[i - 1].Number)
            {
                throw new InvalidOperationException(
                    $"Migrations '{scripts[i - 1].Version}' and '{scripts[i].Version}' share the number {scripts[i].Number:D4}.");
            }
        }

        return scripts;
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded migration '{resource}' cannot be read.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>(?<number>[0-9]{4})_[A-Za-z0-9_-]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version}")]
    private static partial void LogApplied(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has schema migrations this build does not know: {Versions}")]
    private static partial void LogUnknownVersions(ILogger logger, string versions);

    private sealed record MigrationScript(int Number, string Version, string Sql);
}
