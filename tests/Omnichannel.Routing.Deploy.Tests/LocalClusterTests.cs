using Google.Protobuf.WellKnownTypes;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Omnichannel.Routing.EndToEnd.Tests;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Deploy.Tests;

/// <summary><c>deploy/local-cluster.sh</c> as a user runs it: up, used through every silo, down.</summary>
[Collection(OneLocalClusterAtATime.Name)]
public sealed class LocalClusterTests
{
    [Fact]
    public async Task Three_silos_come_up_each_serves_a_full_lifecycle_and_down_leaves_nothing_behind()
    {
        var cluster = await LocalCluster.UpAsync(3);
        await using (cluster)
        {
            Assert.Equal(3, cluster.Addresses.Distinct().Count());
            Assert.Contains("3 of 3 silo(s) running", (await cluster.StatusAsync()).Output, StringComparison.Ordinal);
            Assert.NotEmpty(cluster.LeftoverProcesses());

            for (var i = 0; i < cluster.Addresses.Count; i++)
            {
                // The desktop's offer stream on the next silo: any silo serves any client, and reaches every grain.
                await RouteLifecycleAsync(cluster.Addresses[i], cluster.Addresses[(i + 1) % cluster.Addresses.Count], $"silo-{i + 1}");
            }

            var down = await cluster.DownAsync();
            Assert.True(down.ExitCode == 0, $"local-cluster.sh down failed: {down}");
        }

        Assert.False(Directory.Exists(cluster.StateDirectory), $"{cluster.StateDirectory} is left behind");
        Assert.Empty(cluster.LeftoverProcesses());
        Assert.All(cluster.SiloProcessIds, pid => Assert.False(IsRunning(pid), $"silo process {pid} is still running"));
    }

    /// <summary>
    /// A stopped silo whose parent (the init process, once the script that started it has exited) has not reaped it
    /// yet is a zombie: it keeps its /proc entry but runs nothing and holds no port.
    /// </summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not 'Z' and not 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task RouteLifecycleAsync(string address, string deskAddress, string name)
    {
        using var channel = GrpcChannel.ForAddress(address);
        using var deskChannel = GrpcChannel.ForAddress(deskAddress);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        var engine = new EngineClient(channel);
        // Wrap-up long enough that the agent ends it, so every step of the lifecycle is a call through this silo.
        var queue = await engine.QueueAsync(name, q => q.WrapUp = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)));
        var agent = await engine.AgentAsync($"{name}-agent", [queue]);
        await using var desk = await new EngineClient(deskChannel).SignInAsync(agent);

        var routed = await engine.RouteAsync(queue);
        await desk.NextOfferAsync(routed.InteractionId);
        var agents = engine.Agents;
        Assert.Equal(InteractionState.Connected, (await agents.AcceptOfferAsync(new AcceptOfferRequest { AgentId = agent, InteractionId = routed.InteractionId })).State);
        Assert.Equal(InteractionState.WrapUp, (await agents.CompleteInteractionAsync(new CompleteInteractionRequest { AgentId = agent, InteractionId = routed.InteractionId })).State);
        Assert.Equal(InteractionState.Completed, (await agents.EndWrapUpAsync(new EndWrapUpRequest { AgentId = agent, InteractionId = routed.InteractionId })).State);

        var done = await engine.GetAsync(routed.InteractionId);
        Assert.Equal(["routed", "offered", "accepted", "completed", "wrap_up_ended"], done.History.Select(e => e.Type));
        Assert.Equal(agent, done.AgentId);
    }
}
