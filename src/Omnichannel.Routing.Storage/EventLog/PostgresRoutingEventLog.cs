using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
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
    private const string InsertEvents = """
        INSERT INTO routing_event (occurred_at, subject, subject_id, sequence, type, interaction_id, agent_id, queue_id,
                                   actor_kind, actor_id, from_state, to_state, detail, channel)
        SELECT * FROM unnest(@occurred_at, @subject, @subject_id, @sequence, @type, @interaction_id, @agent_id, @queue_id,
                             @actor_kind, @actor_id, @from_state, @to_state, @detail, @channel)
        ON CONFLICT ON CONSTRAINT routing_event_subject_sequence DO NOTHING
        """;

    // One row per interaction, its latest event in this batch; a row already further along is left alone.
    private const string UpsertStates = """
        INSERT INTO routing_interaction_state AS current (interaction_id, sequence, state, queue_id, agent_id, updated_at)
        SELECT DISTINCT ON (id) id, seq, state, queue, agent, at
        FROM unnest(@state_id, @state_sequence, @state_state, @state_queue, @state_agent, @state_at) AS e(id, seq, state, queue, agent, at)
        ORDER BY id, seq DESC
        ON CONFLICT (interaction_id) DO UPDATE
            SET sequence = excluded.sequence, state = excluded.state, queue_id = excluded.queue_id,
                agent_id = excluded.agent_id, updated_at = excluded.updated_at
            WHERE current.sequence < excluded.sequence
        """;

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
            SELECT occurred_at, sequence, type, interaction_id, agent_id, queue_id, actor_kind, actor_id, from_state, to_state, detail, channel, subject, subject_id
            FROM routing_event WHERE subject = @subject AND subject_id = @subject_id ORDER BY sequence
            """);
        command.Parameters.AddWithValue("subject", subject.ToString());
        command.Parameters.AddWithValue("subject_id", subjectId);
        return await ReadEventsAsync(command, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<RoutingEvent>> ReadNewestAsync(RoutingEventSubject subject, string subjectId, RoutingEventType type, long beforeSequence, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT occurred_at, sequence, type, interaction_id, agent_id, queue_id, actor_kind, actor_id, from_state, to_state, detail, channel, subject, subject_id
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
            SELECT occurred_at, sequence, type, interaction_id, agent_id, queue_id, actor_kind, actor_id, from_state, to_state, detail, channel, subject, subject_id
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
            });
        }

        return events;
    }

    public async ValueTask<IReadOnlyList<string>> WaitingInAsync(string queueId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT interaction_id FROM routing_interaction_state WHERE state = 'Queued' AND queue_id = @queue_id");
        command.Parameters.AddWithValue("queue_id", queueId);
        return await ReadIdsAsync(command, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<string>> AgentsWithWorkAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT DISTINCT agent_id FROM routing_interaction_state WHERE state IN ('Offered', 'Connected', 'WrapUp') AND agent_id IS NOT NULL");
        return await ReadIdsAsync(command, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<string>> OpenInteractionsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT interaction_id FROM routing_interaction_state WHERE state NOT IN ('Completed', 'Abandoned')");
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
                await WriteAsync(batch, events);
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

    private async Task WriteAsync(List<PendingAppend> batch, int count)
    {
        var occurredAt = new DateTimeOffset[count];
        var subject = new string[count];
        var subjectId = new string[count];
        var sequence = new long[count];
        var type = new string[count];
        var interactionId = new string?[count];
        var agentId = new string?[count];
        var queueId = new string?[count];
        var actorKind = new string[count];
        var actorId = new string[count];
        var fromState = new string?[count];
        var toState = new string?[count];
        var detail = new string?[count];
        var channel = new string?[count];
        var states = new List<RoutingEvent>();
        var i = 0;
        foreach (var append in batch)
        {
            foreach (var e in append.Events)
            {
                occurredAt[i] = e.Time.ToUniversalTime();
                subject[i] = e.Subject.ToString();
                subjectId[i] = e.SubjectId;
                sequence[i] = e.Sequence;
                type[i] = e.Type.Name();
                interactionId[i] = e.InteractionId;
                agentId[i] = e.AgentId;
                queueId[i] = e.QueueId;
                actorKind[i] = e.Actor.Kind.ToString();
                actorId[i] = e.Actor.Id;
                fromState[i] = e.From?.ToString();
                toState[i] = e.To?.ToString();
                detail[i] = e.Detail;
                channel[i] = e.Channel;
                if (e.Subject == RoutingEventSubject.Interaction && e.To is not null)
                {
                    states.Add(e);
                }

                i++;
            }
        }

        await using var connection = await _dataSource.OpenConnectionAsync();
        // Both statements in one round trip; PostgreSQL runs a batch without a transaction as one implicit transaction.
        await using var commands = new NpgsqlBatch(connection);
        var insert = new NpgsqlBatchCommand(InsertEvents);
        insert.Parameters.Add(Array("occurred_at", NpgsqlDbType.TimestampTz, occurredAt));
        insert.Parameters.Add(Array("subject", NpgsqlDbType.Text, subject));
        insert.Parameters.Add(Array("subject_id", NpgsqlDbType.Text, subjectId));
        insert.Parameters.Add(Array("sequence", NpgsqlDbType.Bigint, sequence));
        insert.Parameters.Add(Array("type", NpgsqlDbType.Text, type));
        insert.Parameters.Add(Array("interaction_id", NpgsqlDbType.Text, interactionId));
        insert.Parameters.Add(Array("agent_id", NpgsqlDbType.Text, agentId));
        insert.Parameters.Add(Array("queue_id", NpgsqlDbType.Text, queueId));
        insert.Parameters.Add(Array("actor_kind", NpgsqlDbType.Text, actorKind));
        insert.Parameters.Add(Array("actor_id", NpgsqlDbType.Text, actorId));
        insert.Parameters.Add(Array("from_state", NpgsqlDbType.Text, fromState));
        insert.Parameters.Add(Array("to_state", NpgsqlDbType.Text, toState));
        insert.Parameters.Add(Array("detail", NpgsqlDbType.Text, detail));
        insert.Parameters.Add(Array("channel", NpgsqlDbType.Text, channel));
        commands.BatchCommands.Add(insert);
        if (states.Count > 0)
        {
            var upsert = new NpgsqlBatchCommand(UpsertStates);
            upsert.Parameters.Add(Array("state_id", NpgsqlDbType.Text, states.Select(e => e.SubjectId).ToArray()));
            upsert.Parameters.Add(Array("state_sequence", NpgsqlDbType.Bigint, states.Select(e => e.Sequence).ToArray()));
            upsert.Parameters.Add(Array("state_state", NpgsqlDbType.Text, states.Select(e => e.To!.Value.ToString()).ToArray()));
            upsert.Parameters.Add(Array("state_queue", NpgsqlDbType.Text, states.Select(e => e.QueueId).ToArray()));
            upsert.Parameters.Add(Array("state_agent", NpgsqlDbType.Text, states.Select(e => e.AgentId).ToArray()));
            upsert.Parameters.Add(Array("state_at", NpgsqlDbType.TimestampTz, states.Select(e => e.Time.ToUniversalTime()).ToArray()));
            commands.BatchCommands.Add(upsert);
        }

        await commands.ExecuteNonQueryAsync();
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, T[] values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values };

    private sealed record PendingAppend(IReadOnlyList<RoutingEvent> Events, TaskCompletionSource Done);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log: a transaction of {Appends} append(s), {Events} event(s) failed; its callers are refused")]
    private partial void LogWriteFailed(int appends, int events, Exception exception);
}
