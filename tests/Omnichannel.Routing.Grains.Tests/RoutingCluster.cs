using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>One in-process silo with the routing grains, shared by a test class; tests isolate by unique ids.</summary>
public sealed class RoutingCluster : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddEmbeddedRoutingStorage();
            siloBuilder.AddMemoryStreams(Abstractions.LiveFeeds.Provider);
            siloBuilder.AddMemoryGrainStorage("PubSubStore");
            siloBuilder.Services.AddRoutingGrains();

            // Counts grain-to-grain calls for the tests that budget a lifecycle's turns (test silo only).
            siloBuilder.Services.AddSingleton<GrainCallTally>();
            siloBuilder.Services.AddSingleton<IIncomingGrainCallFilter>(services => services.GetRequiredService<GrainCallTally>());
            siloBuilder.Services.Configure<RoutingOptions>(o =>
            {
                // Grain tests do not keep desktops attached unless they say so.
                o.OfferStreamGrace = TimeSpan.FromMinutes(10);
                o.OfferStreamLease = TimeSpan.FromMinutes(10);
                o.ProposalTimeout = TimeSpan.FromSeconds(2);
            });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedRoutingCluster : ICollectionFixture<RoutingCluster>
{
    public const string Name = "routing cluster";
}
