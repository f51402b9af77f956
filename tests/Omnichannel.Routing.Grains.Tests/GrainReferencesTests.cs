using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Tests;

[Collection(SharedRoutingCluster.Name)]
public sealed class GrainReferencesTests(RoutingCluster cluster)
{
    [Fact]
    public void A_grain_is_referenced_once_per_factory_and_the_reference_is_the_one_get_grain_makes()
    {
        var grains = cluster.Client;

        Assert.Same(grains.Agent("kept-agent"), grains.Agent("kept-agent"));
        Assert.Same(grains.Queue("kept-queue"), grains.Queue("kept-queue"));
        Assert.Same(grains.Interaction("kept-interaction"), grains.Interaction("kept-interaction"));
        Assert.Same(grains.Customer("kept-customer"), grains.Customer("kept-customer"));
        Assert.Equal(grains.GetGrain<IAgentGrain>("kept-agent").GetGrainId(), grains.Agent("kept-agent").GetGrainId());
        Assert.NotEqual(grains.Agent("kept-agent").GetGrainId(), grains.Agent("another-agent").GetGrainId());
    }

    [Fact]
    public async Task A_kept_reference_reaches_its_grain()
    {
        var s = new Scenario(cluster.Client);
        var queue = await s.QueueAsync("kept");
        var agent = await s.AgentAsync("kept", [queue], Capacities.Blended);

        var details = await cluster.Client.Agent(agent).GetDetails();

        Assert.Equal(agent, details!.Config.AgentId);
        Assert.Equal(queue, (await cluster.Client.Queue(queue).GetConfig())!.QueueId);
    }
}
