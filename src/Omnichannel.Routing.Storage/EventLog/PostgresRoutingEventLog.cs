using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Storage.EventLog;

/// <summary>
/// The event log in PostgreSQL, written with group commit: appends from every grain are queued, and a writer takes
/// everything pending into one transaction; each caller is answered when the transaction holding its events
/// commits. Durability then costs each caller one commit's latency, while throughput grows with the batch instead
/// of being capped at one commit per append.
/// </summary>
public sealed partial class PostgresRoutingEventLog : IRoutingEventLog, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresRoutingEventLogOptions _options;
    private readonly ILogger<PostgresRoutingEventLog> _logger;
    private readonly Channel<PendingAppend> _pending = Channel.CreateUnbounded<PendingAppend>();
    private readonly Task[] _writers;

    public PostgresRoutingEventLog(NpgsqlDataSource dataSource, IOptions<PostgresRoutingEventLogOptions> options, ILogger<PostgresRoutingEventLog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _options = options.Value;
        _logger = logger;
        _writers = [.. Enumerable.Range(0, Math.Max(1, _options.Writers)).Select(_ => Task.Run(WriteLoopAsync))];
    }

    public bool IsDurable => true;

    /// <summary>Set where the engine's grain storage (<see cref="GrainState.PostgresGrainStorage"/>) commits every state with its events.</summary>
    public bool CommitsWithState { get; init; }

    /// <summary>Transactions committed so far (for benchmarks and metrics).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Events committed so far.</summary>
    public long EventsWritten => Interlocked.Read(ref _eventsWritten);

    private long _commits;
    private long _eventsWritten;

    public ValueTask AppendAsync(IReadOnlyList<RoutingEvent> routingEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(routingEvents);
        if (routingEvents.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite(new PendingAppend(routingEvents, done)))
        {
            throw new InvalidOperationException("The event log is shutting down.");
        }

        return new ValueTask(done.Task.WaitAsync(cancellationToken));
    }

    public async ValueTask<IReadOnlyList<RoutingEvent>> ReadAsync(RoutingEventSubject subject, string subjectId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT occurred_at, sequence, type, interaction_id, agent_id, queue_id, actor_kind, actor_id, from_state, to_state, detail, channel, subject, subject_id, priority
            FROM routing_event WHERE subject = @subject AND subject_id = @subject_id ORDER BY sequence
            """);
        command.Parameters.AddWithValue("subject", subject.ToString());
        command.Parameters.AddWithValue("subject_id", subjectId);
        return await ReadEventsAsync(command, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<RoutingEvent>> ReadNewestAsync(RoutingEventSubject subject, string subjectId, RoutingEventType type, long beforeSequence, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT occurred_at, sequence, type, interaction_id, agent_id, queue_id, actor_kind, actor_id, from_state, to_state, detail, channel, subject, subject_id, priority
            FROM routing_event WHERE subject = @subject AND subject_id = @subject_id AND type = @type AND sequence < @before
            ORDER BY sequence DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("subject", subject.ToString());
        command.Parameters.AddWithValue("subject_id", subjectId);
        command.Parameters.AddWithValue("type", type.Name());
        command.Parameters.AddWithValue("before", beforeSequence);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadEventsAsync(command, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<RoutingEvent>> ReadRangeAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken = default)
    {
        // routing_event_occurred (migration 0004) serves the range; position keeps the recorded order within an instant.
        await using var command = _dataSource.CreateCommand("""
            SELECT occurred_at, sequence, type, interaction_id, agent_id, queue_id, actor_kind, actor_id, from_state, to_state, detail, channel, subject, subject_id, priority
            FROM routing_event WHERE occurred_at >= @from AND occurred_at < @to
            ORDER BY occurred_at, position LIMIT @limit
            """);
        command.Parameters.AddWithValue("from", since.ToUniversalTime());
        command.Parameters.AddWithValue("to", until.ToUniversalTime());
        command.Parameters.AddWithValue("limit", limit);
        return await ReadEventsAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<RoutingEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var events = new List<RoutingEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // The type column holds the stable text of RoutingEventTypeNames, which queries may filter on.
            events.Add(RoutingEvent.Recorded(
                time: reader.GetFieldValue<DateTimeOffset>(0),
                subject: Enum.Parse<RoutingEventSubject>(reader.GetString(12)),
                subjectId: reader.GetString(13),
                sequence: reader.GetInt64(1),
                type: RoutingEventTypeNames.Parse(reader.GetString(2)),
                actor: new Actor(Enum.Parse<ActorKind>(reader.GetString(6)), reader.GetString(7))) with
            {
                InteractionId = reader.IsDBNull(3) ? null : reader.GetString(3),
                AgentId = reader.IsDBNull(4) ? null : reader.GetString(4),
                QueueId = reader.IsDBNull(5) ? null : reader.GetString(5),
                From = reader.IsDBNull(8) ? null : Enum.Parse<InteractionState>(reader.GetString(8)),
                To = reader.IsDBNull(9) ? null : Enum.Parse<InteractionState>(reader.GetString(9)),
                Detail = reader.IsDBNull(10) ? null : reader.GetString(10),
                Channel = reader.IsDBNull(11) ? null : reader.GetString(11),
                Priority = reader.IsDBNull(14) ? null : reader.GetInt32(14),
            });
        }

        return events;
    }

    public async ValueTask<IReadOnlyList<RecordedWait>> WaitingEntriesInAsync(string queueId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT interaction_id, waiting FROM routing_interaction_state
            WHERE state = 'Queued' AND (queue_id = @queue_id OR waiting -> 'AlsoQueues' ? @queue_id)
            """);
        command.Parameters.AddWithValue("queue_id", queueId);
        var waits = new List<RecordedWait>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var place = reader.IsDBNull(1) ? null : WaitingPlaceJson.Read(reader.GetString(1));
            waits.Add(new RecordedWait(reader.GetString(0), place?.Entry));
        }

        return waits;
    }

    public async ValueTask<IReadOnlyList<string>> HeldInteractionsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT interaction_id FROM routing_interaction_state WHERE state IN ('Offered', 'Connected', 'WrapUp')");
        return await ReadIdsAsync(command, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<string>> AgentsWithWorkAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT DISTINCT agent_id FROM routing_interaction_state WHERE state IN ('Offered', 'Connected', 'WrapUp') AND agent_id IS NOT NULL");
        return await ReadIdsAsync(command, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private static async Task<IReadOnlyList<string>> ReadIdsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var events = 0;
            while (events < _options.MaxBatchEvents && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
                events += next.Events.Count;
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await WriteAsync(batch);
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _eventsWritten, events);
                foreach (var append in batch)
                {
                    append.Done.TrySetResult();
                }
            }
            catch (Exception e)
            {
                LogWriteFailed(batch.Count, events, e);
                foreach (var append in batch)
                {
                    append.Done.TrySetException(e);
                }
            }
        }
    }

    private async Task WriteAsync(List<PendingAppend> batch)
    {
        var rows = RoutingEventRows.Of(batch.SelectMany(append => append.Events));
        await using var connection = await _dataSource.OpenConnectionAsync();
        // Both statements in one round trip; PostgreSQL runs a batch without a transaction as one implicit transaction.
        await using var commands = new NpgsqlBatch(connection);
        var insert = new NpgsqlBatchCommand(RoutingEventRows.InsertEventsSql());
        rows.AddEventParameters(insert.Parameters);
        commands.BatchCommands.Add(insert);
        if (rows.MovesInteractions)
        {
            var upsert = new NpgsqlBatchCommand(RoutingEventRows.UpsertStatesSql());
            rows.AddStateParameters(upsert.Parameters);
            commands.BatchCommands.Add(upsert);
        }

        await commands.ExecuteNonQueryAsync();
    }

    private sealed record PendingAppend(IReadOnlyList<RoutingEvent> Events, TaskCompletionSource Done);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log: a transaction of {Appends} append(s), {Events} event(s) failed; its callers are refused")]
    private partial void LogWriteFailed(int appends, int events, Exception exception);
}
