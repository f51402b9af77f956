using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Omnichannel.Routing.Storage.Tests;

/// <summary>A real two-silo cluster whose membership, gateway discovery and grain state all live in PostgreSQL.</summary>
[Collection(SharedPostgresServer.Name)]
public sealed class OrleansOnPostgresTests(OrleansOnPostgresCluster fixture) : IClassFixture<OrleansOnPostgresCluster>
{
    private TestCluster Cluster => fixture.Cluster;

    private TestDatabase Database => fixture.Database;

    [Fact]
    public async Task Both_silos_join_through_the_membership_table_as_active()
    {
        var rows = await Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_cluster_silo WHERE cluster_id = @cluster AND status = 3", ("cluster", fixture.ClusterId));

        Assert.Equal(2, rows);
        Assert.True(await Database.ScalarAsync<int>(
            "SELECT version FROM orleans_cluster WHERE cluster_id = @cluster", ("cluster", fixture.ClusterId)) >= 2);
    }

    [Fact]
    public async Task The_gateway_list_query_returns_every_silo_gateway()
    {
        var provider = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new AdoNetClusteringClientOptions { Invariant = "Npgsql", ConnectionString = Database.ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = fixture.ClusterId, ServiceId = fixture.ServiceId }));
        await provider.InitializeGatewayListProviderAsync();

        var gateways = await provider.GetGatewaysAsync();

        var expected = Cluster.Silos.Select(s => $"{s.GatewayAddress.Endpoint.Address}:{s.GatewayAddress.Endpoint.Port}").Order().ToList();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, gateways.Select(g => $"{g.Host}:{g.Port}").Order().ToList());
    }

    [Fact]
    public async Task State_written_by_one_activation_is_read_back_after_deactivation_and_from_every_silo()
    {
        var grain = Cluster.Client.GetGrain<IProfileGrain>("profile-" + Guid.NewGuid().ToString("N"));
        await grain.SetValue("written once");
        Assert.Equal(1, await StoredVersionAsync(grain));

        await Cluster.DeactivateAsync(grain);

        Assert.Equal("written once", await grain.GetValue());
        foreach (var silo in Cluster.Silos)
        {
            var stored = await ReadAsync(StorageOf(silo), grain.GetGrainId());
            Assert.True(stored.RecordExists);
            Assert.Equal("written once", stored.State?.Value);
            Assert.Equal("1", stored.ETag);
        }

        // The new activation continues from the stored ETag, so its write is accepted and moves the version on.
        await grain.SetValue("written twice");
        Assert.Equal(2, await StoredVersionAsync(grain));
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_throws_InconsistentStateException_and_changes_nothing()
    {
        var storage = StorageOf(Cluster.Silos[1]);
        var grainId = Cluster.Client.GetGrain<IProfileGrain>("profile-" + Guid.NewGuid().ToString("N")).GetGrainId();
        await WriteAsync(storage, grainId, new GrainState<ProfileState>(new ProfileState { Value = "first" }));

        // Two writers read the same version...
        var one = await ReadAsync(storage, grainId);
        var two = await ReadAsync(storage, grainId);
        Assert.Equal(one.ETag, two.ETag);

        // ...the first write wins and the second, still holding the old ETag, is refused.
        one.State = new ProfileState { Value = "winner" };
        await WriteAsync(storage, grainId, one);
        Assert.NotEqual(two.ETag, one.ETag);
        two.State = new ProfileState { Value = "loser" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, grainId, two));

        var stored = await ReadAsync(storage, grainId);
        Assert.Equal("winner", stored.State?.Value);
        Assert.Equal(one.ETag, stored.ETag);
    }

    [Fact]
    public async Task Two_first_writes_of_the_same_state_let_only_one_create_it()
    {
        var storage = StorageOf(Cluster.Silos[0]);
        var grainId = Cluster.Client.GetGrain<IProfileGrain>("profile-" + Guid.NewGuid().ToString("N")).GetGrainId();
        var one = await ReadAsync(storage, grainId);
        var two = await ReadAsync(storage, grainId);
        Assert.Null(one.ETag);
        Assert.False(one.RecordExists);

        await WriteAsync(storage, grainId, one);
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, grainId, two));
    }

    [Fact]
    public async Task A_grain_whose_row_changed_behind_its_back_gets_InconsistentStateException_then_reloads()
    {
        var key = "profile-" + Guid.NewGuid().ToString("N");
        var grain = Cluster.Client.GetGrain<IProfileGrain>(key);
        await grain.SetValue("mine");

        // Another writer (here: the database itself) moves the row on; the activation's ETag is now stale.
        var storage = StorageOf(Cluster.Silos[0]);
        var current = await ReadAsync(storage, grain.GetGrainId());
        current.State = new ProfileState { Value = "theirs" };
        await WriteAsync(storage, grain.GetGrainId(), current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetValue("mine again"));

        // Orleans deactivates an activation whose write was inconsistent; the next call loads the winner's state.
        Assert.Equal("theirs", await grain.GetValue());
    }

    [Fact]
    public async Task Clearing_state_keeps_the_row_without_payload_and_invalidates_older_etags()
    {
        var storage = StorageOf(Cluster.Silos[0]);
        var grainId = Cluster.Client.GetGrain<IProfileGrain>("profile-" + Guid.NewGuid().ToString("N")).GetGrainId();
        var state = new GrainState<ProfileState>(new ProfileState { Value = "to be cleared" });
        await WriteAsync(storage, grainId, state);
        var stale = await ReadAsync(storage, grainId);

        await storage.ClearStateAsync(ProfileGrain.StateName, grainId, state);

        var cleared = await ReadAsync(storage, grainId);
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.State?.Value);
        Assert.Equal(state.ETag, cleared.ETag);
        Assert.NotEqual(stale.ETag, cleared.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, grainId, stale));

        cleared.State = new ProfileState { Value = "written again" };
        await WriteAsync(storage, grainId, cleared);
        Assert.Equal("written again", (await ReadAsync(storage, grainId)).State?.Value);
    }

    [Fact]
    public async Task Clearing_with_delete_on_clear_removes_the_row_and_a_later_first_write_recreates_it()
    {
        var storage = StorageOf(Cluster.Silos[0], OrleansOnPostgresCluster.DeletingStorageName);
        var grain = Cluster.Client.GetGrain<IProfileGrain>("profile-" + Guid.NewGuid().ToString("N"));
        var state = new GrainState<ProfileState>(new ProfileState { Value = "to be deleted" });
        await WriteAsync(storage, grain.GetGrainId(), state);
        var stale = await ReadAsync(storage, grain.GetGrainId());

        await storage.ClearStateAsync(ProfileGrain.StateName, grain.GetGrainId(), state);

        Assert.Null(state.ETag);
        Assert.Equal(0, await StoredRowsAsync(grain));
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(storage, grain.GetGrainId(), stale));
        await WriteAsync(storage, grain.GetGrainId(), state);
        Assert.Equal("1", state.ETag);
        Assert.Equal(1, await StoredRowsAsync(grain));
    }

    [Fact]
    public async Task Integer_and_guid_keys_with_and_without_extension_are_kept_apart_and_each_conflicts_with_itself()
    {
        var storage = StorageOf(Cluster.Silos[1]);
        var type = GrainType.Create("keyed");
        var number = Random.Shared.NextInt64(1, long.MaxValue);
        var guid = Guid.NewGuid();
        GrainId[] ids =
        [
            GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(number)),
            GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(number, "east")),
            GrainId.Create(type, GrainIdKeyExtensions.CreateGuidKey(guid)),
            GrainId.Create(type, GrainIdKeyExtensions.CreateGuidKey(guid, "east")),
        ];

        foreach (var id in ids)
        {
            await WriteAsync(storage, id, new GrainState<ProfileState>(new ProfileState { Value = id.ToString() }));
        }

        foreach (var id in ids)
        {
            var stored = await ReadAsync(storage, id);
            Assert.Equal(id.ToString(), stored.State?.Value);
            Assert.Equal("1", stored.ETag);

            // A key without extension is stored with a null extension; a second "first write" must still collide.
            await Assert.ThrowsAsync<InconsistentStateException>(
                () => WriteAsync(storage, id, new GrainState<ProfileState>(new ProfileState { Value = "second first write" })));
        }
    }

    internal static IGrainStorage StorageOf(SiloHandle silo, string name = OrleansOnPostgresCluster.StorageName) =>
        ((InProcessSiloHandle)silo).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(name);

    internal static async Task<GrainState<ProfileState>> ReadAsync(IGrainStorage storage, GrainId grainId)
    {
        var state = new GrainState<ProfileState>(new ProfileState());
        await storage.ReadStateAsync(ProfileGrain.StateName, grainId, state);
        return state;
    }

    private static Task WriteAsync(IGrainStorage storage, GrainId grainId, GrainState<ProfileState> state) =>
        storage.WriteStateAsync(ProfileGrain.StateName, grainId, state);

    private Task<long> StoredRowsAsync(IProfileGrain grain) => Database.ScalarAsync<long>(
        "SELECT count(*) FROM orleans_grain_state WHERE service_id = @service AND grain_type = @type AND grain_id_extension = @key",
        ("service", fixture.ServiceId),
        ("type", ProfileGrain.StateName),
        ("key", grain.GetPrimaryKeyString()));

    private Task<int> StoredVersionAsync(IProfileGrain grain) => Database.ScalarAsync<int>(
        "SELECT version FROM orleans_grain_state WHERE service_id = @service AND grain_type = @type AND grain_id_extension = @key",
        ("service", fixture.ServiceId),
        ("type", ProfileGrain.StateName),
        ("key", grain.GetPrimaryKeyString()));
}
