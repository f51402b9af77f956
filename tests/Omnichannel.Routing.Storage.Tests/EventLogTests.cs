using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Storage.EventLog;

namespace Omnichannel.Routing.Storage.Tests;

[Collection(SharedPostgresServer.Name)]
public sealed class EventLogTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Event_types_are_stored_as_their_fixed_text_and_read_back_as_the_same_members()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var log = new PostgresRoutingEventLog(dataSource, Options.Create(new PostgresRoutingEventLogOptions()), NullLogger<PostgresRoutingEventLog>.Instance);

        var routed = Change(1, RoutingEventType.Routed, null, InteractionState.Queued, agentId: null);
        var timedOut = Change(2, RoutingEventType.OfferTimedOut, InteractionState.Offered, InteractionState.Queued, agentId: "ana");
        await log.AppendAsync([RoutingEvent.ForInteraction("i-1", routed), RoutingEvent.ForInteraction("i-1", timedOut)]);
        await log.AppendAsync([RoutingEvent.ForAgent(At, "ana", 7, RoutingEventType.NotResponding, Actor.Engine, "offer of i-1 timed out")]);

        // SQL that filters by type keeps working: the column holds the same text as before the closed set.
        Assert.Equal("routed,offer_timed_out", await database.ScalarAsync<string>(
            "SELECT string_agg(type, ',' ORDER BY sequence) FROM routing_event WHERE subject = 'Interaction' AND subject_id = 'i-1'"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM routing_event WHERE type = 'not_responding'"));

        var history = await log.ReadAsync(RoutingEventSubject.Interaction, "i-1");
        Assert.Equal([RoutingEventType.Routed, RoutingEventType.OfferTimedOut], history.Select(e => e.Type));
        Assert.Equal(RoutingEvent.ForInteraction("i-1", timedOut), history[1]);

        var agent = Assert.Single(await log.ReadAsync(RoutingEventSubject.Agent, "ana"));
        Assert.Equal(RoutingEventType.NotResponding, agent.Type);
        Assert.Equal("ana", agent.AgentId);
        Assert.Null(agent.From);
    }

    [Fact]
    public async Task Reading_the_newest_events_of_one_type_leaves_out_every_other_type()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var log = new PostgresRoutingEventLog(dataSource, Options.Create(new PostgresRoutingEventLogOptions()), NullLogger<PostgresRoutingEventLog>.Instance);
        var entry = new JourneyEntryView("i-1", "chat", "sales", "ana", InteractionState.Completed, At, At, At, null, ImmutableDictionary<string, string>.Empty, "j-1", "completed");
        await log.AppendAsync(
        [
            RoutingEvent.ForCustomerJourney(At, "c-1", 1, entry, "{}"),
            RoutingEvent.ForCustomerJourney(At, "c-1", 2, entry with { InteractionId = "i-2" }, "{}"),
            RoutingEvent.Recorded(At, RoutingEventSubject.Customer, "c-1", 3, RoutingEventType.Defined, Actor.Engine),
        ]);

        var newest = await log.ReadNewestAsync(RoutingEventSubject.Customer, "c-1", RoutingEventType.JourneyEntry, beforeSequence: 10, limit: 5);

        Assert.Equal([2L, 1L], newest.Select(e => e.Sequence));
        Assert.All(newest, e => Assert.Equal(RoutingEventType.JourneyEntry, e.Type));
        Assert.Equal(["i-2", "i-1"], newest.Select(e => e.InteractionId));
    }

    [Fact]
    public async Task A_time_range_reads_every_subject_s_events_in_time_order_with_their_channel()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var log = new PostgresRoutingEventLog(dataSource, Options.Create(new PostgresRoutingEventLogOptions()), NullLogger<PostgresRoutingEventLog>.Instance);
        await log.AppendAsync(
        [
            RoutingEvent.ForInteraction("i-1", Change(1, RoutingEventType.Routed, null, InteractionState.Queued, agentId: null)) with { Channel = "chat", Priority = 7 },
            RoutingEvent.ForInteraction("i-1", Change(3, RoutingEventType.Accepted, InteractionState.Offered, InteractionState.Connected, agentId: "ana")) with { Channel = "chat" },
            RoutingEvent.ForInteraction("i-1", Change(90, RoutingEventType.Completed, InteractionState.Connected, InteractionState.WrapUp, agentId: "ana")) with { Channel = "chat" },
        ]);
        await log.AppendAsync([RoutingEvent.ForAgent(At.AddSeconds(2), "ana", 1, RoutingEventType.SignedIn, Actor.Engine, null)]);

        var range = await log.ReadRangeAsync(At, At.AddSeconds(60), limit: 100);

        Assert.Equal([RoutingEventType.Routed, RoutingEventType.SignedIn, RoutingEventType.Accepted], range.Select(e => e.Type));
        Assert.Equal([RoutingEventSubject.Interaction, RoutingEventSubject.Agent, RoutingEventSubject.Interaction], range.Select(e => e.Subject));
        Assert.Equal(["chat", null, "chat"], range.Select(e => e.Channel));
        Assert.Equal([7, null, null], range.Select(e => e.Priority));
        Assert.Equal("ana", range[1].SubjectId);
        Assert.Single(await log.ReadRangeAsync(At, At.AddSeconds(60), limit: 1));
    }

    private static InteractionEventRecord Change(long sequence, RoutingEventType type, InteractionState? from, InteractionState to, string? agentId) =>
        new(sequence, At.AddSeconds(sequence), type, from, to, "sales", agentId, Actor.Engine, $"event {sequence}");

    private static async Task<TestDatabase> MigratedDatabaseAsync()
    {
        var server = await PostgresServer.SharedAsync();
        var database = await server.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(database.ConnectionString);
        return database;
    }
}
