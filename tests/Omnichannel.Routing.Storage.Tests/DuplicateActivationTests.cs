using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains;
using Omnichannel.Routing.Storage.GrainState;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Omnichannel.Routing.Storage.Tests;

/// <summary>
/// The routing grains on the engine's grain storage, with a second activation of one agent (a duplicate, as a
/// membership change can leave for a moment) writing the agent's state behind the first one's back.
/// </summary>
[Collection(SharedPostgresServer.Name)]
public sealed class DuplicateActivationTests : IAsyncLifetime
{
    private const string ConnectionStringKey = "RoutingTests:PostgresConnectionString";
    private static readonly Actor Admin = new(ActorKind.Admin, "test");
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private TestDatabase _database = null!;
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _database = await server.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(_database.ConnectionString);
        var builder = new TestClusterBuilder(1);
        builder.Properties[ConnectionStringKey] = _database.ConnectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_reservation_from_a_stale_activation_is_refused_undone_and_the_interaction_is_offered_by_the_current_one()
    {
        var client = _cluster.Client;
        var queueId = "sales-" + Guid.NewGuid().ToString("N")[..8];
        var agentId = "ana-" + Guid.NewGuid().ToString("N")[..8];
        await client.GetGrain<IQueueGrain>(queueId).Configure(
            new QueueConfig(queueId, queueId, ["chat"], SelectionPolicy.LongestIdle, ServiceLevelConfig.Default, [], null, 0, false, TimeSpan.FromMinutes(5), null, EffectivePriority.DefaultAgingRate, PreferActiveAgent: true),
            Admin);
        var agent = client.GetGrain<IAgentGrain>(agentId);
        await agent.Define(new AgentConfig(agentId, agentId, ImmutableDictionary<string, int>.Empty, new CapacityConfig(100, [new ChannelLimitConfig("chat", 1, 100, false)]), [queueId]), Admin);
        await agent.SignIn(Presence.Available);

        // The duplicate activation reads the agent as stored now and commits a change with an event of its own: the
        // live activation's next write names a version that is gone.
        var (duplicate, lifetime) = DuplicateStorage(_database.ConnectionString);
        await using (lifetime)
        {
            var state = new GrainState<AgentRecord>(new AgentRecord());
            await duplicate.ReadStateAsync("agent", agent.GetGrainId(), state);
            state.State!.UnloggedEvents.Add(RoutingEvent.ForAgent(DateTimeOffset.UtcNow, agentId, ++state.State.EventSequence, RoutingEventType.PresenceChanged, Admin, "written by the duplicate activation"));
            state.State.Version++;
            await duplicate.WriteStateAsync("agent", agent.GetGrainId(), state);
        }

        var interactionId = Guid.NewGuid().ToString("N");
        await client.GetGrain<IInteractionGrain>(interactionId).Route(new RouteCommand(
            null, "customer-1", "chat", queueId, 0, [], [], ImmutableDictionary<string, string>.Empty, null, PreferLastAgent: false, default, new Actor(ActorKind.Frontend, "test")));

        var offered = await EventuallyAsync(
            async () => await client.GetGrain<IInteractionGrain>(interactionId).GetSnapshot(),
            s => s is { State: InteractionState.Offered } && s.AgentId == agentId,
            $"{interactionId} offered to {agentId}");

        Assert.Equal(agentId, offered!.AgentId);
        Assert.Equal(1, RefusalCounter.Refused);
        // The stale activation's reservation left nothing behind: one offer in the log, the duplicate's event kept.
        Assert.Equal(1L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM routing_event WHERE subject = 'Interaction' AND subject_id = @id AND type = 'offered'", ("id", interactionId)));
        Assert.Equal(1L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM routing_event WHERE subject = 'Agent' AND subject_id = @id AND detail = 'written by the duplicate activation'", ("id", agentId)));
        var status = (await agent.GetDetails())!.Status;
        Assert.Equal(interactionId, Assert.Single(status.Work).InteractionId);
    }

    private static (PostgresGrainStorage Storage, IAsyncDisposable Lifetime) DuplicateStorage(string connectionString)
    {
        var dataSource = ConnectionBudget.CreateDataSource(connectionString, new PostgresStorageOptions());
        var services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(AgentRecord).Assembly)).BuildServiceProvider();
        var committer = new StateCommitter(dataSource, Options.Create(new PostgresStorageOptions()), NullLogger<StateCommitter>.Instance);
        return (new PostgresGrainStorage(committer, services.GetRequiredService<Serializer>()), new Lifetime(committer, dataSource, services));
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Wait);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{what}: not within {Wait}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }

    private sealed class Lifetime(StateCommitter committer, NpgsqlDataSource dataSource, ServiceProvider services) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await committer.DisposeAsync();
            await dataSource.DisposeAsync();
            await services.DisposeAsync();
        }
    }

    /// <summary>The silo's grain storage, counting the writes it refuses for a stale version.</summary>
    private sealed class RefusalCounter(IGrainStorage inner) : IGrainStorage
    {
        private static int _refused;

        public static int Refused => Volatile.Read(ref _refused);

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            try
            {
                await inner.WriteStateAsync(stateName, grainId, grainState);
            }
            catch (InconsistentStateException)
            {
                Interlocked.Increment(ref _refused);
                throw;
            }
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var dataSource = ConnectionBudget.CreateDataSource(siloBuilder.Configuration[ConnectionStringKey]!, new PostgresStorageOptions());
            siloBuilder.AddMemoryStreams(LiveFeeds.Provider);
            siloBuilder.AddMemoryGrainStorage("PubSubStore");
            siloBuilder.Services.AddRoutingGrains();
            siloBuilder.Services.AddPostgresStorage(dataSource, RoutingOptions.StorageName);
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(RoutingOptions.StorageName, (sp, _) => new RefusalCounter(sp.GetRequiredService<PostgresGrainStorage>()));
            siloBuilder.Services.Configure<RoutingOptions>(o =>
            {
                // No desktop is attached in this test: offers stay while it looks.
                o.OfferStreamGrace = TimeSpan.FromMinutes(10);
                o.OfferStreamLease = TimeSpan.FromMinutes(10);
                o.ProposalTimeout = TimeSpan.FromSeconds(2);
            });
        }
    }
}
