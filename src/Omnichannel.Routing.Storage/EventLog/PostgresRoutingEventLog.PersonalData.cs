using Npgsql;
using NpgsqlTypes;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Storage.EventLog;

/// <summary>Erasure and retention: what the log removes of customers' personal data, in SQL, each in one transaction.</summary>
public sealed partial class PostgresRoutingEventLog
{
    // The customer grain's cleared row still names the customer in its key; a cleared row holds nothing else, so it
    // goes. The interactions' rows are their grains' to rewrite (they did, before this is called).
    private const string EraseSql = """
        DELETE FROM routing_event WHERE subject = 'Customer' AND subject_id = @customer;
        UPDATE routing_interaction_state SET waiting = jsonb_set(waiting, '{Entry,CustomerId}', to_jsonb(@pseudonym::text))
         WHERE interaction_id = ANY(@interactions) AND waiting IS NOT NULL;
        DELETE FROM grain_state WHERE state_name = 'customer' AND grain_id = @customer AND payload IS NULL;
        """;

    private const string ForgetContextSql = """
        UPDATE routing_event SET detail = jsonb_set(detail::jsonb, '{Context}', '{}'::jsonb)::text
         WHERE subject = 'Customer' AND interaction_id = ANY(@interactions) AND type = @journey AND detail IS NOT NULL;
        UPDATE routing_interaction_state SET context_forgotten = true WHERE interaction_id = ANY(@interactions);
        """;

    public async ValueTask EraseCustomerAsync(ErasedCustomer customer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        await using var command = _dataSource.CreateCommand(EraseSql);
        command.Parameters.AddWithValue("customer", customer.CustomerId);
        command.Parameters.AddWithValue("pseudonym", customer.PseudonymousId);
        command.Parameters.Add(new NpgsqlParameter("interactions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = customer.InteractionIds.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyList<string>> EndedWithContextAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT interaction_id FROM routing_interaction_state
             WHERE state IN ('Completed', 'Abandoned') AND NOT context_forgotten AND updated_at < @before
             ORDER BY updated_at LIMIT @limit
            """);
        command.Parameters.AddWithValue("before", endedBefore.ToUniversalTime());
        command.Parameters.AddWithValue("limit", limit);
        return await ReadIdsAsync(command, cancellationToken);
    }

    public async ValueTask ContextForgottenAsync(IReadOnlyList<string> interactionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(interactionIds);
        if (interactionIds.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand(ForgetContextSql);
        command.Parameters.Add(new NpgsqlParameter("interactions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = interactionIds.ToArray() });
        command.Parameters.AddWithValue("journey", RoutingEventType.JourneyEntry.Name());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
