using Npgsql;
using NpgsqlTypes;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Storage.EventLog;

/// <summary>
/// Events as the columns of <c>routing_event</c> and of the <c>routing_interaction_state</c> projection, and the two
/// statements that write them: one array parameter per column, so any number of events is one statement. Shared by
/// the event log's own appends and by the grain storage, which appends a grain's events in the statement that
/// commits its state.
/// </summary>
internal sealed class RoutingEventRows
{
    private readonly RoutingEvent[] _events;
    private readonly RoutingEvent[] _states;

    private RoutingEventRows(RoutingEvent[] events)
    {
        _events = events;
        // Only interaction events move the projection.
        _states = [.. events.Where(e => e.Subject == RoutingEventSubject.Interaction && e.To is not null)];
    }

    /// <summary>Events to write, in order.</summary>
    public static RoutingEventRows Of(IEnumerable<RoutingEvent> events) => new([.. events]);

    public int Count => _events.Length;

    /// <summary>Whether any event moves an interaction's state, so the projection needs the upsert.</summary>
    public bool MovesInteractions => _states.Length > 0;

    /// <summary>
    /// Inserts every event; an event already recorded (same subject and sequence) is left as it is, so an append may
    /// repeat. <paramref name="condition"/> is an optional <c>WHERE</c> clause that gates the whole insert.
    /// </summary>
    public static string InsertEventsSql(string condition = "") => $"""
        INSERT INTO routing_event (occurred_at, subject, subject_id, sequence, type, interaction_id, agent_id, queue_id,
                                   actor_kind, actor_id, from_state, to_state, detail, channel, priority)
        SELECT * FROM unnest(@occurred_at, @subject, @subject_id, @sequence, @type, @interaction_id, @agent_id, @queue_id,
                             @actor_kind, @actor_id, @from_state, @to_state, @detail, @channel, @priority)
        {condition}
        ON CONFLICT ON CONSTRAINT routing_event_subject_sequence DO NOTHING
        """;

    /// <summary>
    /// One row per interaction, its latest event here; a row already further along is left alone.
    /// <paramref name="condition"/> as for <see cref="InsertEventsSql"/>.
    /// </summary>
    public static string UpsertStatesSql(string condition = "") => $"""
        INSERT INTO routing_interaction_state AS current (interaction_id, sequence, state, queue_id, agent_id, updated_at, waiting)
        SELECT DISTINCT ON (id) id, seq, state, queue, agent, at, waiting
        FROM unnest(@state_id, @state_sequence, @state_state, @state_queue, @state_agent, @state_at, @state_waiting)
            AS e(id, seq, state, queue, agent, at, waiting)
        {condition}
        ORDER BY id, seq DESC
        ON CONFLICT (interaction_id) DO UPDATE
            SET sequence = excluded.sequence, state = excluded.state, queue_id = excluded.queue_id,
                agent_id = excluded.agent_id, updated_at = excluded.updated_at, waiting = excluded.waiting
            WHERE current.sequence < excluded.sequence
        """;

    /// <summary>The parameters of <see cref="InsertEventsSql"/>.</summary>
    public void AddEventParameters(NpgsqlParameterCollection parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Add(Array("occurred_at", NpgsqlDbType.TimestampTz, _events.Select(e => e.Time.ToUniversalTime())));
        parameters.Add(Array("subject", NpgsqlDbType.Text, _events.Select(e => e.Subject.ToString())));
        parameters.Add(Array("subject_id", NpgsqlDbType.Text, _events.Select(e => e.SubjectId)));
        parameters.Add(Array("sequence", NpgsqlDbType.Bigint, _events.Select(e => e.Sequence)));
        // The type column holds the stable text of RoutingEventTypeNames, which queries may filter on.
        parameters.Add(Array("type", NpgsqlDbType.Text, _events.Select(e => e.Type.Name())));
        parameters.Add(Array("interaction_id", NpgsqlDbType.Text, _events.Select(e => e.InteractionId)));
        parameters.Add(Array("agent_id", NpgsqlDbType.Text, _events.Select(e => e.AgentId)));
        parameters.Add(Array("queue_id", NpgsqlDbType.Text, _events.Select(e => e.QueueId)));
        parameters.Add(Array("actor_kind", NpgsqlDbType.Text, _events.Select(e => e.Actor.Kind.ToString())));
        parameters.Add(Array("actor_id", NpgsqlDbType.Text, _events.Select(e => e.Actor.Id)));
        parameters.Add(Array("from_state", NpgsqlDbType.Text, _events.Select(e => e.From?.ToString())));
        parameters.Add(Array("to_state", NpgsqlDbType.Text, _events.Select(e => e.To?.ToString())));
        parameters.Add(Array("detail", NpgsqlDbType.Text, _events.Select(e => e.Detail)));
        // The interaction's channel, so reports cut by channel from the log alone.
        parameters.Add(Array("channel", NpgsqlDbType.Text, _events.Select(e => e.Channel)));
        // And its base priority, so reports give the longest wait per priority.
        parameters.Add(Array("priority", NpgsqlDbType.Integer, _events.Select(e => e.Priority)));
    }

    /// <summary>The parameters of <see cref="UpsertStatesSql"/>.</summary>
    public void AddStateParameters(NpgsqlParameterCollection parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Add(Array("state_id", NpgsqlDbType.Text, _states.Select(e => e.SubjectId)));
        parameters.Add(Array("state_sequence", NpgsqlDbType.Bigint, _states.Select(e => e.Sequence)));
        parameters.Add(Array("state_state", NpgsqlDbType.Text, _states.Select(e => e.To!.Value.ToString())));
        parameters.Add(Array("state_queue", NpgsqlDbType.Text, _states.Select(e => e.QueueId)));
        parameters.Add(Array("state_agent", NpgsqlDbType.Text, _states.Select(e => e.AgentId)));
        parameters.Add(Array("state_at", NpgsqlDbType.TimestampTz, _states.Select(e => e.Time.ToUniversalTime())));
        // Where a waiting interaction waits, so a queue rebuilds its line from this projection after a restart.
        parameters.Add(Array("state_waiting", NpgsqlDbType.Jsonb, _states.Select(e => WaitingPlaceJson.Write(e.Waiting))));
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() };
}
