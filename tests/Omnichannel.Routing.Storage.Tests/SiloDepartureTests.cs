using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.Placement;

namespace Omnichannel.Routing.Storage.Tests;

/// <summary>A silo leaving the cluster, on a cluster of its own because the test takes a silo away.</summary>
[Collection(SharedPostgresServer.Name)]
public sealed class SiloDepartureTests(OrleansOnPostgresCluster fixture) : IClassFixture<OrleansOnPostgresCluster>
{
    [Fact]
    public async Task A_stopped_silo_is_recorded_dead_leaves_the_gateway_list_and_its_grain_state_is_read_on_the_survivor()
    {
        var cluster = fixture.Cluster;
        var (leaving, staying) = (cluster.Silos[0], cluster.Silos[1]);
        var grain = cluster.Client.GetGrain<IProfileGrain>("profile-" + Guid.NewGuid().ToString("N"));

        // Orleans' placement hint activates the grain on the silo that is about to leave.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, leaving.SiloAddress);
        await grain.SetValue("written on the silo that left");
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        Assert.Equal(leaving.SiloAddress.ToString(), await grain.GetSilo());

        await cluster.StopSiloAsync(leaving);

        // The only place the surviving activation can get the value from is PostgreSQL.
        Assert.Equal("written on the silo that left", await grain.GetValue());
        Assert.Equal(staying.SiloAddress.ToString(), await grain.GetSilo());

        Assert.Equal(6, await fixture.Database.ScalarAsync<int>(
            "SELECT status FROM orleans_cluster_silo WHERE cluster_id = @cluster AND port = @port AND generation = @generation",
            ("cluster", fixture.ClusterId),
            ("port", leaving.SiloAddress.Endpoint.Port),
            ("generation", leaving.SiloAddress.Generation)));

        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new AdoNetClusteringClientOptions { Invariant = "Npgsql", ConnectionString = fixture.Database.ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = fixture.ClusterId, ServiceId = fixture.ServiceId }));
        await gateways.InitializeGatewayListProviderAsync();
        var listed = Assert.Single(await gateways.GetGatewaysAsync());
        Assert.Equal(staying.GatewayAddress.Endpoint.Port, listed.Port);
    }
}
