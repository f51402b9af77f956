using Grpc.Core;
using Omnichannel.Routing.Api.Tests.Support;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests.Services;

[Collection(SharedApiHost.Name)]
public sealed class WorkforceGrpcServiceTests(ApiHost host)
{
    private readonly ApiScenario _s = new(host);

    [Fact]
    public async Task Occupancy_of_a_defined_agent_reflects_its_presence()
    {
        var agentId = await _s.AgentAsync("occupied", await _s.QueueAsync("occupancy"));
        await host.CallAsync(_s.Agents.SignIn, new SignInRequest { AgentId = agentId, Presence = Presence.Away });

        var occupancy = await host.CallAsync(_s.Workforce.GetAgentOccupancy, new GetAgentOccupancyRequest { AgentId = agentId });

        Assert.Equal(agentId, occupancy.AgentId);
        Assert.True(occupancy.SignedIn);
        Assert.Equal(Presence.Away, occupancy.Presence);
    }

    [Fact]
    public async Task Listing_occupancy_of_a_queue_pages_through_its_members_only()
    {
        var queueId = await _s.QueueAsync("team");
        var members = new[] { await _s.AgentAsync("a", queueId), await _s.AgentAsync("b", queueId), await _s.AgentAsync("c", queueId) };
        await _s.AgentAsync("outsider", await _s.QueueAsync("other-team"));

        var first = await host.CallAsync(_s.Workforce.ListAgentOccupancy, new ListAgentOccupancyRequest { QueueId = queueId, PageSize = 2 });
        var second = await host.CallAsync(_s.Workforce.ListAgentOccupancy, new ListAgentOccupancyRequest { QueueId = queueId, PageSize = 2, PageToken = first.NextPageToken });

        Assert.Equal(members.Order(StringComparer.Ordinal), first.Occupancies.Concat(second.Occupancies).Select(o => o.AgentId));
        Assert.NotEmpty(first.NextPageToken);
        Assert.Empty(second.NextPageToken);
    }

    [Fact]
    public async Task Unknown_agents_and_queues_are_not_found_and_bad_ids_are_invalid()
    {
        await ApiHost.RefusedAsync(StatusCode.NotFound, "agent_id", () => host.CallAsync(_s.Workforce.GetAgentOccupancy, new GetAgentOccupancyRequest { AgentId = _s.Id("missing") }));
        await ApiHost.RefusedAsync(StatusCode.NotFound, "queue_id", () => host.CallAsync(_s.Workforce.ListAgentOccupancy, new ListAgentOccupancyRequest { QueueId = _s.Id("missing") }));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "agent_ids[1]", () => host.WatchAsync(_s.Workforce.WatchAgentOccupancy, new WatchAgentOccupancyRequest { AgentIds = { _s.Id("fine"), "not fine" } }, new TestServerStreamWriter<AgentOccupancy>(), CancellationToken.None));
    }

    [Fact]
    public async Task An_occupancy_watch_sends_the_current_figures_then_each_change()
    {
        var agentId = await _s.AgentAsync("watched", await _s.QueueAsync("watched-team"));
        var stream = new TestServerStreamWriter<AgentOccupancy>();
        using var tool = new CancellationTokenSource();

        var watch = host.WatchAsync(_s.Workforce.WatchAgentOccupancy, new WatchAgentOccupancyRequest { AgentIds = { agentId } }, stream, tool.Token);
        var first = await stream.NextAsync();
        await host.CallAsync(_s.Agents.SignIn, new SignInRequest { AgentId = agentId });
        var changed = await stream.NextMatchingAsync(o => o.SignedIn);
        await tool.CancelAsync();
        await watch;

        Assert.Equal(agentId, first.AgentId);
        Assert.False(first.SignedIn);
        Assert.Equal(Presence.Available, changed.Presence);
    }
}
