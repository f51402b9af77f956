using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace Omnichannel.Routing.Storage.Tests;

/// <summary>
/// The membership protocol the clustering provider runs against the stored queries, driven directly through the
/// provider's own <see cref="AdoNetClusteringTable"/> so that each rule is checked without waiting for silos.
/// </summary>
[Collection(SharedPostgresServer.Name)]
public sealed class MembershipTableTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(_database.ConnectionString);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Initializing_creates_the_cluster_version_row_once_and_reads_answer_it_with_no_members()
    {
        var clusterId = NewClusterId();
        await (await TableAsync(clusterId)).InitializeMembershipTableAsync(tryInitTableVersion: true);
        var table = await TableAsync(clusterId);

        var data = await table.ReadAllAsync();

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
        Assert.Equal("0", data.Version.VersionEtag);
        Assert.Equal(1, await _database.ScalarAsync<long>("SELECT count(*) FROM orleans_cluster WHERE cluster_id = @c", ("c", clusterId)));
        Assert.Empty((await table.ReadRowAsync(Silo(11111))).Members);
    }

    [Fact]
    public async Task Inserting_with_the_current_version_adds_the_silo_and_moves_the_version_on_a_stale_version_changes_nothing()
    {
        var table = await TableAsync(NewClusterId());
        var start = await table.ReadAllAsync();

        Assert.True(await table.InsertRowAsync(Entry(11111, SiloStatus.Joining), start.Version.Next()));

        var afterInsert = await table.ReadAllAsync();
        Assert.Equal(1, afterInsert.Version.Version);
        var (member, etag) = Assert.Single(afterInsert.Members);
        Assert.Equal(Silo(11111), member.SiloAddress);
        Assert.Equal("silo-11111", member.SiloName);
        Assert.Equal(SiloStatus.Joining, member.Status);
        Assert.Equal("1", etag);

        // Another silo that read version 0 before the insert loses the race.
        Assert.False(await table.InsertRowAsync(Entry(22222, SiloStatus.Joining), start.Version.Next()));
        // The same silo inserted twice is refused and does not move the version.
        Assert.False(await table.InsertRowAsync(Entry(11111, SiloStatus.Joining), afterInsert.Version.Next()));

        var unchanged = await table.ReadAllAsync();
        Assert.Equal(1, unchanged.Version.Version);
        Assert.Single(unchanged.Members);
    }

    [Fact]
    public async Task Concurrent_inserts_that_read_the_same_version_let_exactly_one_win()
    {
        var table = await TableAsync(NewClusterId());
        var seen = (await table.ReadAllAsync()).Version;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => table.InsertRowAsync(Entry(30000 + i, SiloStatus.Joining), seen.Next()))));

        Assert.Single(outcomes, won => won);
        var data = await table.ReadAllAsync();
        Assert.Single(data.Members);
        Assert.Equal(1, data.Version.Version);
    }

    [Fact]
    public async Task Updating_needs_the_current_version_and_replaces_status_suspicions_and_heartbeat()
    {
        var table = await TableAsync(NewClusterId());
        var entry = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        var read = await table.ReadAllAsync();
        var etag = read.Members[0].Item2;

        var suspecting = Silo(22222);
        var suspectedAt = Truncated(DateTime.UtcNow);
        entry.Status = SiloStatus.Active;
        entry.IAmAliveTime = suspectedAt;
        entry.SuspectTimes = [Tuple.Create(suspecting, suspectedAt)];
        Assert.True(await table.UpdateRowAsync(entry, etag, read.Version.Next()));

        var updated = await table.ReadRowAsync(entry.SiloAddress);
        var (member, newEtag) = Assert.Single(updated.Members);
        Assert.Equal(2, updated.Version.Version);
        Assert.Equal("2", newEtag);
        Assert.Equal(SiloStatus.Active, member.Status);
        Assert.Equal(suspectedAt, member.IAmAliveTime);
        Assert.NotNull(member.SuspectTimes);
        var (by, at) = Assert.Single(member.SuspectTimes);
        Assert.Equal(suspecting, by);
        Assert.Equal(suspectedAt, at, TimeSpan.FromMilliseconds(1));

        // Writing again from the view at version 1 is refused.
        entry.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRowAsync(entry, etag, read.Version.Next()));
        Assert.Equal(SiloStatus.Active, (await table.ReadRowAsync(entry.SiloAddress)).Members[0].Item1.Status);
    }

    [Fact]
    public async Task Heartbeats_move_the_alive_time_without_changing_the_version()
    {
        var table = await TableAsync(NewClusterId());
        var entry = Entry(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));

        entry.IAmAliveTime = Truncated(DateTime.UtcNow.AddMinutes(1));
        await table.UpdateIAmAliveAsync(entry);

        var data = await table.ReadAllAsync();
        Assert.Equal(1, data.Version.Version);
        Assert.Equal(entry.IAmAliveTime, data.Members[0].Item1.IAmAliveTime);
        Assert.Equal(DateTimeKind.Utc, data.Members[0].Item1.IAmAliveTime.Kind);
    }

    [Fact]
    public async Task The_gateway_list_holds_only_active_silos_that_have_a_gateway()
    {
        var clusterId = NewClusterId();
        var table = await TableAsync(clusterId);
        await InsertAsync(table, Entry(11111, SiloStatus.Active, proxyPort: 30001));
        await InsertAsync(table, Entry(11112, SiloStatus.Joining, proxyPort: 30002));
        await InsertAsync(table, Entry(11113, SiloStatus.Active, proxyPort: 0));
        await InsertAsync(table, Entry(11114, SiloStatus.Dead, proxyPort: 30004));

        var provider = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new AdoNetClusteringClientOptions { Invariant = "Npgsql", ConnectionString = _database.ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "routing" }));
        await provider.InitializeGatewayListProviderAsync();

        var gateway = Assert.Single(await provider.GetGatewaysAsync());
        Assert.Equal("127.0.0.1", gateway.Host);
        Assert.Equal(30001, gateway.Port);
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_silos_not_heard_from_since_the_cutoff()
    {
        var table = await TableAsync(NewClusterId());
        var longAgo = Truncated(DateTime.UtcNow.AddDays(-10));
        await InsertAsync(table, Entry(11111, SiloStatus.Dead, aliveAt: longAgo));
        await InsertAsync(table, Entry(11112, SiloStatus.Dead));
        await InsertAsync(table, Entry(11113, SiloStatus.Active, aliveAt: longAgo));

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddDays(-7));

        var remaining = (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order();
        Assert.Equal([11112, 11113], remaining);
    }

    [Fact]
    public async Task Deleting_a_cluster_removes_its_version_row_and_silos_and_no_other_cluster()
    {
        var doomedId = NewClusterId();
        var doomed = await TableAsync(doomedId);
        var other = await TableAsync(NewClusterId());
        await InsertAsync(doomed, Entry(11111, SiloStatus.Active));
        await InsertAsync(other, Entry(11111, SiloStatus.Active));

        await doomed.DeleteMembershipTableEntriesAsync(doomedId);

        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM orleans_cluster WHERE cluster_id = @c", ("c", doomedId)));
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM orleans_cluster_silo WHERE cluster_id = @c", ("c", doomedId)));
        Assert.Single((await other.ReadAllAsync()).Members);
    }

    private async Task<AdoNetClusteringTable> TableAsync(string clusterId)
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "routing" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = _database.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private static async Task InsertAsync(AdoNetClusteringTable table, MembershipEntry entry) =>
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));

    private static string NewClusterId() => "cluster-" + Guid.NewGuid().ToString("N")[..8];

    private static SiloAddress Silo(int port) => SiloAddress.New(IPAddress.Loopback, port, 7);

    private static MembershipEntry Entry(int port, SiloStatus status, int proxyPort = 30000, DateTime? aliveAt = null)
    {
        var now = Truncated(DateTime.UtcNow);
        return new MembershipEntry
        {
            SiloAddress = Silo(port),
            SiloName = "silo-" + port,
            HostName = "host-" + port,
            Status = status,
            ProxyPort = proxyPort,
            StartTime = aliveAt ?? now,
            IAmAliveTime = aliveAt ?? now,
        };
    }

    /// <summary>PostgreSQL keeps microseconds; .NET ticks are a tenth of that.</summary>
    private static DateTime Truncated(DateTime time) => new(time.Ticks - (time.Ticks % 10), DateTimeKind.Utc);
}
