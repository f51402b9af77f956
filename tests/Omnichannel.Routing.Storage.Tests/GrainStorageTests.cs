using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Storage.EventLog;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Omnichannel.Routing.Storage.Tests;

[Collection(SharedPostgresServer.Name)]
public sealed class GrainStorageTests
{
    private const string StateName = "ledger";
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_written_state_reads_back_whole_with_its_version_as_the_etag()
    {
        await using var fixture = await GrainStorageFixture.StartAsync();
        var grain = Grain("ana");

        var fresh = new GrainState<LedgerState>(new LedgerState());
        await fixture.Storage.ReadStateAsync(StateName, grain, fresh);
        Assert.False(fresh.RecordExists);
        Assert.Null(fresh.ETag);

        fresh.State!.Value = "first";
        await fixture.Storage.WriteStateAsync(StateName, grain, fresh);
        fresh.State!.Value = "second";
        await fixture.Storage.WriteStateAsync(StateName, grain, fresh);

        var read = new GrainState<LedgerState>(new LedgerState());
        await fixture.Storage.ReadStateAsync(StateName, grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal("second", read.State!.Value);
        Assert.Equal("2", read.ETag);
        Assert.Equal(fresh.ETag, read.ETag);
    }

    [Fact]
    public async Task A_stale_write_among_many_is_refused_alone_and_the_others_commit()
    {
        await using var fixture = await GrainStorageFixture.StartAsync();
        var states = Enumerable.Range(0, 200).Select(i => (Grain: Grain($"agent-{i}"), State: new GrainState<LedgerState>(new LedgerState { Value = "v1" }))).ToList();
        await Task.WhenAll(states.Select(s => fixture.Storage.WriteStateAsync(StateName, s.Grain, s.State)));
        var stale = new GrainState<LedgerState>(new LedgerState { Value = "stale" }) { ETag = states[7].State.ETag };
        await fixture.Storage.WriteStateAsync(StateName, states[7].Grain, states[7].State);

        // Everything at once, so the stale write shares transactions with the good ones.
        foreach (var (_, state) in states)
        {
            state.State!.Value = "v2";
        }

        var good = states.Select(s => fixture.Storage.WriteStateAsync(StateName, s.Grain, s.State)).ToList();
        var refused = fixture.Storage.WriteStateAsync(StateName, states[7].Grain, stale);
        await Assert.ThrowsAsync<InconsistentStateException>(() => refused);
        await Task.WhenAll(good);

        Assert.Equal(200L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM grain_state WHERE version >= 2"));
        var read = new GrainState<LedgerState>(new LedgerState());
        await fixture.Storage.ReadStateAsync(StateName, states[7].Grain, read);
        Assert.Equal("v2", read.State!.Value);
    }

    [Fact]
    public async Task A_second_insert_of_a_state_that_already_exists_is_refused()
    {
        await using var fixture = await GrainStorageFixture.StartAsync();
        var grain = Grain("ana");
        await fixture.Storage.WriteStateAsync(StateName, grain, new GrainState<LedgerState>(new LedgerState { Value = "first" }));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            fixture.Storage.WriteStateAsync(StateName, grain, new GrainState<LedgerState>(new LedgerState { Value = "also first" })));
    }

    [Fact]
    public async Task A_state_s_events_reach_the_log_only_with_the_write_that_commits_them()
    {
        await using var fixture = await GrainStorageFixture.StartAsync();
        var grain = Grain("i-1");
        var state = new GrainState<LedgerState>(new LedgerState());
        await fixture.Storage.WriteStateAsync(StateName, grain, state);
        var stale = new GrainState<LedgerState>(new LedgerState()) { ETag = state.ETag };
        await fixture.Storage.WriteStateAsync(StateName, grain, state);

        stale.State!.UnloggedEvents.Add(Routed("i-1", 1));
        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Storage.WriteStateAsync(StateName, grain, stale));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM routing_event"));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM routing_interaction_state"));

        state.State!.UnloggedEvents.Add(Routed("i-1", 1));
        state.State!.UnloggedEvents.Add(RoutingEvent.ForAgent(At, "ana", 4, RoutingEventType.PresenceChanged, Actor.Engine, null));
        await fixture.Storage.WriteStateAsync(StateName, grain, state);

        Assert.Equal(2L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM routing_event"));
        Assert.Equal("Queued", await fixture.Database.ScalarAsync<string>("SELECT state FROM routing_interaction_state WHERE interaction_id = 'i-1'"));
    }

    [Fact]
    public async Task Many_concurrent_writes_share_far_fewer_transactions()
    {
        await using var fixture = await GrainStorageFixture.StartAsync();
        const int writes = 2000;

        await Task.WhenAll(Enumerable.Range(0, writes).Select(i =>
        {
            var state = new GrainState<LedgerState>(new LedgerState { Value = "v" });
            state.State!.UnloggedEvents.Add(Routed($"i-{i}", 1));
            return fixture.Storage.WriteStateAsync(StateName, Grain($"i-{i}"), state);
        }));

        Assert.Equal(writes, fixture.Committer.Operations);
        Assert.True(fixture.Committer.Commits <= writes / 10, $"{fixture.Committer.Commits} transactions for {writes} writes");
        Assert.Equal((long)writes, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM routing_event"));
    }

    [Fact]
    public async Task The_host_s_data_source_never_opens_more_connections_than_its_budget()
    {
        const int budget = 5;
        await using var fixture = await GrainStorageFixture.StartAsync(new PostgresStorageOptions { MaxPoolSize = budget });
        await using var log = new PostgresRoutingEventLog(fixture.DataSource, Options.Create(new PostgresRoutingEventLogOptions()), NullLogger<PostgresRoutingEventLog>.Instance);
        var peak = 0L;
        using var stop = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // The sampler's own connection is not from the data source's pool.
                peak = Math.Max(peak, await fixture.Database.ScalarAsync<long>(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"));
            }
        });

        // 500 callers at once: reads that each take a pooled connection, and grain writes through the committer.
        await Task.WhenAll(Enumerable.Range(0, 500).Select(async i =>
        {
            await log.ReadAsync(RoutingEventSubject.Interaction, $"i-{i}");
            await fixture.Storage.WriteStateAsync(StateName, Grain($"i-{i}"), new GrainState<LedgerState>(new LedgerState { Value = "v" }));
            await log.WaitingEntriesInAsync("sales");
        }));
        await stop.CancelAsync();
        await sampling;

        Assert.InRange(peak, 1, budget);
    }

    [Fact]
    public async Task Two_activations_reserving_the_same_agent_from_one_version_commit_exactly_one_reservation()
    {
        await using var fixture = await GrainStorageFixture.StartAsync();
        var (otherSilo, otherLifetime) = fixture.SecondProcess();
        await using var _ = otherLifetime;
        var agent = Grain("ana");
        await fixture.Storage.WriteStateAsync(StateName, agent, new GrainState<LedgerState>(new LedgerState { Value = "idle" }));

        // A duplicate activation on each silo reads the same version, then each reserves a different interaction.
        var here = new GrainState<LedgerState>(new LedgerState());
        var there = new GrainState<LedgerState>(new LedgerState());
        await fixture.Storage.ReadStateAsync(StateName, agent, here);
        await otherSilo.ReadStateAsync(StateName, agent, there);
        here.State!.Value = "holds i-1";
        here.State!.UnloggedEvents.Add(Reserved("i-1"));
        there.State!.Value = "holds i-2";
        there.State!.UnloggedEvents.Add(Reserved("i-2"));

        var outcomes = await Task.WhenAll(
            Outcome(fixture.Storage.WriteStateAsync(StateName, agent, here)),
            Outcome(otherSilo.WriteStateAsync(StateName, agent, there)));

        Assert.Single(outcomes, committed => committed);
        var winner = outcomes[0] ? "i-1" : "i-2";
        var stored = new GrainState<LedgerState>(new LedgerState());
        await fixture.Storage.ReadStateAsync(StateName, agent, stored);
        Assert.Equal($"holds {winner}", stored.State!.Value);
        Assert.Equal(winner, await fixture.Database.ScalarAsync<string>("SELECT string_agg(detail, ',') FROM routing_event WHERE subject = 'Agent'"));
    }

    [Fact]
    public async Task Events_committed_with_a_state_are_in_the_log_when_the_process_dies_before_anything_else_runs()
    {
        var fixture = await GrainStorageFixture.StartAsync();
        var database = fixture.Database;
        try
        {
            var state = new GrainState<LedgerState>(new LedgerState { Value = "offered" });
            state.State!.UnloggedEvents.Add(Routed("i-1", 1));
            await fixture.Storage.WriteStateAsync(StateName, Grain("i-1"), state);

            // The commit answered; the process ends here, before the grain replies or its outbox runs again.
            await fixture.Committer.DisposeAsync();
            await fixture.DataSource.DisposeAsync();

            // A new process finds the events without anything touching the interaction.
            var (restarted, lifetime) = fixture.SecondProcess();
            await using (lifetime)
            {
                var read = new GrainState<LedgerState>(new LedgerState());
                Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM routing_event WHERE subject_id = 'i-1'"));
                Assert.Equal("Queued", await database.ScalarAsync<string>("SELECT state FROM routing_interaction_state WHERE interaction_id = 'i-1'"));
                await restarted.ReadStateAsync(StateName, Grain("i-1"), read);
                Assert.Equal("offered", read.State!.Value);
            }
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static GrainId Grain(string key) => GrainId.Create("ledger", key);

    private static RoutingEvent Routed(string interactionId, long sequence) =>
        RoutingEvent.ForInteraction(interactionId, new InteractionEventRecord(sequence, At, RoutingEventType.Routed, null, InteractionState.Queued, "sales", null, Actor.Engine, null));

    private static RoutingEvent Reserved(string interactionId) =>
        RoutingEvent.ForAgent(At, "ana", 2, RoutingEventType.PresenceChanged, Actor.Engine, interactionId);

    private static async Task<bool> Outcome(Task write)
    {
        try
        {
            await write;
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }
}
