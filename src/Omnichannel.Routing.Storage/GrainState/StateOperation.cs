using Npgsql;
using NpgsqlTypes;
using Omnichannel.Routing.Storage.EventLog;

namespace Omnichannel.Routing.Storage.GrainState;

/// <summary>
/// One caller's read or conditional write, waiting for the transaction that carries it. Each is one statement that
/// answers at most one row: for a read the stored row, for a write the new version (no row: the version did not
/// match, and nothing of this write, its events included, was stored).
/// </summary>
internal sealed class StateOperation
{
    private const string Key = "grain_type = @grain_type AND grain_id = @grain_id AND state_name = @state_name";

    private const string Read = $"SELECT version, payload FROM grain_state WHERE {Key}";

    private const string Insert = """
        INSERT INTO grain_state (grain_type, grain_id, state_name, version, payload)
        VALUES (@grain_type, @grain_id, @state_name, 1, @payload)
        ON CONFLICT DO NOTHING
        RETURNING version
        """;

    private const string Update = $"""
        UPDATE grain_state SET version = version + 1, payload = @payload, updated_at = now()
        WHERE {Key} AND version = @version
        RETURNING version
        """;

    // The events go in only if the write above matched its row: one commit point for state and log.
    private const string OnlyIfWritten = "WHERE EXISTS (SELECT 1 FROM written)";

    private readonly long? _expectedVersion;
    private readonly byte[]? _payload;
    private readonly RoutingEventRows? _events;

    private StateOperation(StateKey key, bool isRead, long? expectedVersion, byte[]? payload, RoutingEventRows? events)
    {
        StateKey = key;
        IsRead = isRead;
        _expectedVersion = expectedVersion;
        _payload = payload;
        _events = events;
    }

    public StateKey StateKey { get; }

    public bool IsRead { get; }

    /// <summary>Events appended with this write (none for reads).</summary>
    public int EventCount => _events?.Count ?? 0;

    /// <summary>Answered once the transaction commits: the row read or written, or null (no row; a refused write).</summary>
    public TaskCompletionSource<StoredState?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static StateOperation ReadOf(StateKey key) => new(key, isRead: true, null, null, null);

    /// <summary>
    /// Writes <paramref name="payload"/> (null: clears) over <paramref name="expectedVersion"/> (null: the row must not
    /// exist yet), appending <paramref name="events"/> in the same statement.
    /// </summary>
    public static StateOperation WriteOf(StateKey key, long? expectedVersion, byte[]? payload, RoutingEventRows? events) =>
        new(key, isRead: false, expectedVersion, payload, events is { Count: > 0 } ? events : null);

    public NpgsqlBatchCommand ToCommand()
    {
        var command = new NpgsqlBatchCommand(IsRead ? Read : WriteSql());
        command.Parameters.Add(new NpgsqlParameter("grain_type", NpgsqlDbType.Text) { Value = StateKey.GrainType });
        command.Parameters.Add(new NpgsqlParameter("grain_id", NpgsqlDbType.Text) { Value = StateKey.GrainId });
        command.Parameters.Add(new NpgsqlParameter("state_name", NpgsqlDbType.Text) { Value = StateKey.StateName });
        if (IsRead)
        {
            return command;
        }

        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Bytea) { Value = (object?)_payload ?? DBNull.Value });
        if (_expectedVersion is { } version)
        {
            command.Parameters.Add(new NpgsqlParameter("version", NpgsqlDbType.Bigint) { Value = version });
        }

        if (_events is { } events)
        {
            events.AddEventParameters(command.Parameters);
            if (events.MovesInteractions)
            {
                events.AddStateParameters(command.Parameters);
            }
        }

        return command;
    }

    private string WriteSql()
    {
        var write = _expectedVersion is null ? Insert : Update;
        if (_events is not { } events)
        {
            return write;
        }

        var projected = events.MovesInteractions ? $", projected AS ({RoutingEventRows.UpsertStatesSql(OnlyIfWritten)})" : "";
        return $"""
            WITH written AS ({write}),
                 logged AS ({RoutingEventRows.InsertEventsSql(OnlyIfWritten)}){projected}
            SELECT version FROM written
            """;
    }
}
