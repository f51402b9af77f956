using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Omnichannel.Routing.TestSupport;

namespace Omnichannel.Routing.LoadTests;

/// <summary>What PostgreSQL counted between two readings.</summary>
/// <param name="Commits">Committed transactions in the routing database.</param>
/// <param name="Events">Rows appended to the engine's event log.</param>
/// <param name="WalBytes">The server's write-ahead log position, in bytes: what it wrote to its WAL, every database.</param>
internal readonly record struct DatabaseCounters(long Commits, long Events, long WalBytes);

/// <summary>
/// The PostgreSQL of a durable run: a throwaway server with durability on (TestSupport's <see cref="PostgresServer"/>,
/// as load-tests/postgres-durable.sh starts it), or one given with --postgres. Reads its commit and event-log
/// counters, and runs the pgbench insert ceiling against it.
/// </summary>
internal sealed partial class DurableDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;

    private DurableDatabase(PostgresServer server)
    {
        _server = server;
    }

    /// <summary>The Npgsql connection string the host gets with --postgres.</summary>
    public string ConnectionString => _server.AdminConnectionString;

    /// <summary>Starts a throwaway server with durability on.</summary>
    public static async Task<DurableDatabase> StartAsync(CancellationToken cancel) =>
        new(await PostgresServer.StartAsync(PostgresServerOptions.Durable, cancel).ConfigureAwait(false));

    /// <summary>An existing server: nothing is started or stopped.</summary>
    public static DurableDatabase Existing(string connectionString) => new(PostgresServer.Existing(connectionString));

    public async Task<DatabaseCounters> ReadCountersAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            // pg_stat_database is updated when a backend reports, at most every few hundred milliseconds: good enough
            // over a measurement window of seconds. The event log's sequence gives its row count without a scan.
            using var command = new NpgsqlCommand(
                """
                SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
                       COALESCE((SELECT last_value FROM pg_sequences WHERE sequencename = 'routing_event_position_seq'), 0),
                       (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint
                """,
                connection);
            using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            await reader.ReadAsync().ConfigureAwait(false);
            return new DatabaseCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }
    }

    /// <summary>
    /// The ceiling: pgbench inserting one row per transaction (a row like an event-log row) with
    /// <paramref name="clients"/> connections for <paramref name="length"/>. Answers transactions per second.
    /// </summary>
    public async Task<PgbenchResult> RunPgbenchAsync(TimeSpan length, int clients)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        var connection = new NpgsqlConnection(ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            using var create = new NpgsqlCommand(
                """
                DROP TABLE IF EXISTS load_ceiling_event;
                CREATE TABLE load_ceiling_event (
                    position bigserial PRIMARY KEY, recorded_at timestamptz NOT NULL DEFAULT now(),
                    subject text NOT NULL, subject_id text NOT NULL, sequence bigint NOT NULL, type text NOT NULL,
                    detail text);
                """,
                connection);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var scriptPath = Path.Combine(Path.GetTempPath(), $"omnichannel-pgbench-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(scriptPath, """
            \set id random(1, 1000000000)
            INSERT INTO load_ceiling_event (subject, subject_id, sequence, type, detail) VALUES ('Interaction', :id, 1, 'routed', 'pgbench ceiling');
            """).ConfigureAwait(false);
        try
        {
            var args = new List<string>
            {
                "-h", builder.Host ?? "127.0.0.1", "-p", builder.Port.ToString(CultureInfo.InvariantCulture),
                "-U", builder.Username ?? "routing", "-n", "-f", scriptPath,
                "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
                "-T", Math.Max(1, (int)length.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                builder.Database ?? "routing",
            };
            var environment = builder.Password is null ? null : new Dictionary<string, string> { ["PGPASSWORD"] = builder.Password };
            // pgbench runs for the length asked plus its start and its report.
            var ran = await ExternalCommand.RunAsync(Pgbench(), args, length + TimeSpan.FromMinutes(2), environment).ConfigureAwait(false);
            var output = ran.Output + ran.Errors;
            var tps = TpsLine().Match(output);
            var latency = LatencyLine().Match(output);
            if (!tps.Success)
            {
                throw new InvalidOperationException($"pgbench printed no tps line:\n{output}");
            }

            return new PgbenchResult(
                double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture),
                latency.Success ? double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN,
                clients,
                length);
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>pgbench from PostgreSQL's binaries (Debian keeps them under /usr/lib/postgresql/MAJOR/bin), newest first.</summary>
    private static string Pgbench()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin", "pgbench"))
                .Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0)
                .ToList()
            : [];
        return candidates.FirstOrDefault() ?? "pgbench";
    }

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();
}

/// <summary>The pgbench insert ceiling.</summary>
/// <param name="TransactionsPerSecond">Single-row insert transactions committed per second.</param>
/// <param name="AverageLatencyMs">pgbench's average latency per transaction.</param>
/// <param name="Clients">Connections pgbench used.</param>
/// <param name="Length">How long it ran.</param>
internal sealed record PgbenchResult(double TransactionsPerSecond, double AverageLatencyMs, int Clients, TimeSpan Length);
