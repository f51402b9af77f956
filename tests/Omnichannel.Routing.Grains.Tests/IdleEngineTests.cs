using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Agents;
using Orleans.TestingHost;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>
/// An idle engine at rest: agents signed in with their desktops attached and renewing arm no timer of their own;
/// their leases are watched by the silo's one sweep.
/// </summary>
[Collection(SharedRoutingCluster.Name)]
public sealed class IdleEngineTests(RoutingCluster cluster)
{
    private readonly Scenario _s = new(cluster.Client);

    private IServiceProvider Silo => ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost!.Services;

    private ArmedTimers Armed => Silo.GetRequiredService<ArmedTimers>();

    private OfferLeaseSweep Sweep => Silo.GetRequiredService<OfferLeaseSweep>();

    [Fact]
    public async Task Signed_in_agents_whose_desktops_keep_renewing_arm_no_timer_while_nothing_changes()
    {
        var queue = await _s.QueueAsync("idle");
        var agents = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => _s.AgentAsync($"idle-{i}", [queue], Capacities.Blended)));
        var silent = new SilentDesktop();
        var desktop = cluster.Client.CreateObjectReference<IOfferObserver>(silent);

        // Signed in with no desktop yet, each waits out a grace period: that is a timer of the agent's own.
        Assert.All(agents, agent => Assert.True(Armed.IsArmed(GrainOf(agent)), $"{agent} waits for no desktop"));

        foreach (var agent in agents)
        {
            await _s.Agent(agent).AttachOfferStream(desktop);
        }

        for (var round = 0; round < 3; round++)
        {
            foreach (var agent in agents)
            {
                Assert.Empty(await _s.Agent(agent).RenewOfferStream(desktop));
            }
        }

        Sweep.Sweep();
        Assert.All(agents, agent =>
        {
            Assert.False(Armed.IsArmed(GrainOf(agent)), $"{agent} keeps a timer armed while idle");
            Assert.True(Sweep.IsWatching(agent), $"nobody watches {agent}'s lease");
        });
        Assert.Equal(AgentActivity.Idle, (await _s.StatusAsync(agents[0])).Activity);

        // The desktop goes: the grace period is the agent's own timer again, and there is no lease left to watch.
        await _s.Agent(agents[0]).DetachOfferStream(desktop);
        Assert.True(Armed.IsArmed(GrainOf(agents[0])));
        Assert.False(Sweep.IsWatching(agents[0]));
        cluster.Client.DeleteObjectReference<IOfferObserver>(desktop);
        GC.KeepAlive(silent);
    }

    private GrainId GrainOf(string agentId) => _s.Agent(agentId).GetGrainId();

    private sealed class SilentDesktop : IOfferObserver
    {
        public Task OnOffered(OfferView offer) => Task.CompletedTask;

        public Task OnWithdrawn(string interactionId, string reason) => Task.CompletedTask;

        public Task OnStatus(AgentStatusView status) => Task.CompletedTask;
    }
}
