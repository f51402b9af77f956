using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Storage.EventLog;

namespace Omnichannel.Routing.Storage.Tests;

/// <summary>What recovery reads from PostgreSQL: the waiting entries and held interactions of the latest-state index.</summary>
[Collection(SharedPostgresServer.Name)]
public sealed class RecoveryIndexTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_waiting_interaction_reads_back_with_the_entry_its_latest_event_recorded_in_its_own_queue_and_its_also_queues()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var log = new PostgresRoutingEventLog(dataSource, Options.Create(new PostgresRoutingEventLogOptions()), NullLogger<PostgresRoutingEventLog>.Instance);
        var entry = Entry("i-1") with
        {
            RequiredSkills = [new RequirementConfig("french", 3)],
            PreferredSkills = ["billing"],
            ExcludedAgents = ["bob"],
            PreferredAgentId = "ana",
            PreferredAgentWait = TimeSpan.FromSeconds(45),
            OverflowedFrom = ["front"],
        };
        await log.AppendAsync([Waiting("i-1", 1, entry, alsoQueues: ["backup"])]);

        var own = Assert.Single(await log.WaitingEntriesInAsync("sales"));
        var also = Assert.Single(await log.WaitingEntriesInAsync("backup"));

        Assert.Equal("i-1", own.InteractionId);
        var read = own.Entry!;
        Assert.Equal(
            (entry.InteractionId, entry.CustomerId, entry.Channel, entry.BasePriority, entry.Arrival, entry.PreferredAgentId, entry.PreferredAgentWait, entry.Admitted),
            (read.InteractionId, read.CustomerId, read.Channel, read.BasePriority, read.Arrival, read.PreferredAgentId, read.PreferredAgentWait, read.Admitted));
        Assert.Equal(entry.RequiredSkills.ToArray(), read.RequiredSkills.ToArray());
        Assert.Equal(entry.PreferredSkills.ToArray(), read.PreferredSkills.ToArray());
        Assert.Equal(entry.ExcludedAgents.ToArray(), read.ExcludedAgents.ToArray());
        Assert.Equal(entry.OverflowedFrom.ToArray(), read.OverflowedFrom.ToArray());
        Assert.Equal("i-1", also.InteractionId);
        Assert.Empty(await log.WaitingEntriesInAsync("elsewhere"));
    }

    [Fact]
    public async Task An_interaction_that_moved_on_no_longer_waits_and_one_recorded_without_an_entry_reads_back_without_one()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var log = new PostgresRoutingEventLog(dataSource, Options.Create(new PostgresRoutingEventLogOptions()), NullLogger<PostgresRoutingEventLog>.Instance);
        await log.AppendAsync([Waiting("i-1", 1, Entry("i-1"), alsoQueues: ["backup"])]);
        await log.AppendAsync([RoutingEvent.ForInteraction("i-1", Change(2, RoutingEventType.Offered, InteractionState.Queued, InteractionState.Offered, "ana"))]);
        await log.AppendAsync([RoutingEvent.ForInteraction("i-2", Change(1, RoutingEventType.Routed, null, InteractionState.Queued, null))]);

        var waiting = Assert.Single(await log.WaitingEntriesInAsync("sales"));

        Assert.Equal(new RecordedWait("i-2", null), waiting);
        Assert.Empty(await log.WaitingEntriesInAsync("backup"));
        Assert.Equal(["i-1"], await log.HeldInteractionsAsync());
    }

    private static QueueEntry Entry(string interactionId) =>
        new(interactionId, "c-1", "chat", 2, At, [], [], [], null, TimeSpan.Zero, Admitted: true, []);

    private static RoutingEvent Waiting(string interactionId, long sequence, QueueEntry entry, ImmutableArray<string> alsoQueues) =>
        RoutingEvent.ForInteraction(interactionId, Change(sequence, RoutingEventType.Routed, null, InteractionState.Queued, null)) with
        {
            Waiting = new WaitingPlace(entry, alsoQueues),
        };

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
