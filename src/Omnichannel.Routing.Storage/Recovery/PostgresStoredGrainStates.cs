using System.Runtime.CompilerServices;
using Npgsql;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Storage.Recovery;

/// <summary>
/// The grain states the Orleans ADO.NET persistence keeps in <c>orleans_grain_state</c>, read by when they were
/// written (<c>modified_at</c>, the database's clock), and the start of the last finished sweep in
/// <c>routing_recovery_sweep</c>.
/// </summary>
public sealed class PostgresStoredGrainStates(NpgsqlDataSource dataSource) : IStoredGrainStates
{
    // A write whose transaction began before a sweep but committed after the sweep read is stamped before the sweep's
    // start; the next sweep looks back this far to see it.
    private static readonly TimeSpan InFlightMargin = TimeSpan.FromMinutes(1);

    public async Task<StateSweep> BeginSweepAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT now(), (SELECT swept_from FROM routing_recovery_sweep WHERE id = 1)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new StateSweep(
            Since: reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
            Started: reader.GetFieldValue<DateTimeOffset>(0));
    }

    public async IAsyncEnumerable<StoredGrainState> ReadAsync(StateSweep sweep, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        await using var command = dataSource.CreateCommand(
            "SELECT grain_type, payload FROM orleans_grain_state WHERE payload IS NOT NULL AND (@since::timestamptz IS NULL OR modified_at >= @since)");
        command.Parameters.AddWithValue("since", sweep.Since is { } since ? since : DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new StoredGrainState(reader.GetString(0), reader.GetFieldValue<byte[]>(1));
        }
    }

    public async Task FinishSweepAsync(StateSweep sweep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO routing_recovery_sweep AS last (id, swept_from) VALUES (1, @from)
            ON CONFLICT (id) DO UPDATE SET swept_from = GREATEST(last.swept_from, excluded.swept_from)
            """);
        command.Parameters.AddWithValue("from", sweep.Started - InFlightMargin);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
