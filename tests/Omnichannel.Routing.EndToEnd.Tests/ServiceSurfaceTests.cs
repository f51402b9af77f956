using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests;

public sealed class ServiceSurfaceTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly EngineClient _c = new(fixture.Host.Channel);

    [Fact]
    public async Task Health_for_the_whole_server_answers_serving_once_it_listens()
    {
        var health = new Health.HealthClient(fixture.Host.Channel);

        var whole = await health.CheckAsync(new HealthCheckRequest { Service = string.Empty });
        var routing = await health.CheckAsync(new HealthCheckRequest { Service = "omnichannel.routing.v1.RoutingService" });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, whole.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, routing.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_six_services_and_health()
    {
        var reflection = new ServerReflection.ServerReflectionClient(fixture.Host.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToHashSet();

        foreach (var name in new[] { "RoutingService", "AgentService", "WorkforceService", "SupervisorService", "AdminService", "CustomerService" })
        {
            Assert.Contains($"omnichannel.routing.v1.{name}", services);
        }

        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task Unknown_ids_answer_not_found_naming_the_field()
    {
        var interaction = await Assert.ThrowsAsync<RpcException>(() => _c.Routing.GetInteractionAsync(new GetInteractionRequest { InteractionId = "missing" }).ResponseAsync);
        var agent = await Assert.ThrowsAsync<RpcException>(() => _c.Agents.SignInAsync(new SignInRequest { AgentId = _c.Id("nobody") }).ResponseAsync);
        var queue = await Assert.ThrowsAsync<RpcException>(() => _c.RouteAsync(_c.Id("no-queue")));

        Assert.Equal(StatusCode.NotFound, interaction.StatusCode);
        Assert.StartsWith("interaction_id:", interaction.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, agent.StatusCode);
        Assert.StartsWith("agent_id:", agent.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, queue.StatusCode);
        Assert.StartsWith("queue_id:", queue.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_state_answers_failed_precondition()
    {
        var queue = await _c.QueueAsync("states");
        var agent = await _c.AgentAsync("states-agent", [queue]);
        await using var desk = await _c.SignInAsync(agent);
        var routed = await _c.RouteAsync(queue);
        await desk.NextOfferAsync(routed.InteractionId);

        var completeOffer = await Assert.ThrowsAsync<RpcException>(() => desk.CompleteAsync(routed.InteractionId));
        var endWrapUp = await Assert.ThrowsAsync<RpcException>(() => desk.EndWrapUpAsync(routed.InteractionId));

        Assert.Equal(StatusCode.FailedPrecondition, completeOffer.StatusCode);
        Assert.StartsWith("interaction_id:", completeOffer.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.FailedPrecondition, endWrapUp.StatusCode);
        Assert.Equal(InteractionState.Offered, (await _c.GetAsync(routed.InteractionId)).State);
    }

    [Fact]
    public async Task No_rpc_of_the_six_services_answers_unimplemented()
    {
        var queue = await _c.QueueAsync("surface");
        var agent = await _c.AgentAsync("surface-agent", [queue]);
        var routed = await _c.RouteAsync(queue);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var calls = new (string Rpc, Func<Task> Call)[]
        {
            ("GetAgentOccupancy", () => _c.Workforce.GetAgentOccupancyAsync(new GetAgentOccupancyRequest { AgentId = agent }).ResponseAsync),
            ("ListAgentOccupancy", () => _c.Workforce.ListAgentOccupancyAsync(new ListAgentOccupancyRequest { QueueId = queue }).ResponseAsync),
            ("WatchAgentOccupancy", () => FirstAsync(_c.Workforce.WatchAgentOccupancy(new WatchAgentOccupancyRequest { AgentIds = { agent } }, cancellationToken: timeout.Token))),
            ("GetQueueStats", () => _c.Supervisor.GetQueueStatsAsync(new GetQueueStatsRequest { QueueId = queue }).ResponseAsync),
            ("ListQueueStats", () => _c.Supervisor.ListQueueStatsAsync(new ListQueueStatsRequest()).ResponseAsync),
            ("WatchQueueStats", () => FirstAsync(_c.Supervisor.WatchQueueStats(new WatchQueueStatsRequest { QueueIds = { queue } }, cancellationToken: timeout.Token))),
            ("MoveInteraction", () => _c.Supervisor.MoveInteractionAsync(new MoveInteractionRequest { InteractionId = routed.InteractionId, TargetQueueId = queue, ValidateOnly = true }).ResponseAsync),
            ("SetInteractionPriority", () => _c.Supervisor.SetInteractionPriorityAsync(new SetInteractionPriorityRequest { InteractionId = routed.InteractionId, Priority = 5, ValidateOnly = true }).ResponseAsync),
            ("RebalanceQueue", () => _c.Supervisor.RebalanceQueueAsync(new RebalanceQueueRequest { SourceQueueId = queue, TargetQueueId = queue, MaxInteractions = 1, ValidateOnly = true }).ResponseAsync),
            ("SetAgentQueues", () => _c.Supervisor.SetAgentQueuesAsync(new SetAgentQueuesRequest { AgentId = agent, QueueIds = { queue }, ValidateOnly = true }).ResponseAsync),
            ("SetAgentSkills", () => _c.Supervisor.SetAgentSkillsAsync(new SetAgentSkillsRequest { AgentId = agent, ValidateOnly = true }).ResponseAsync),
            ("SetQueueOpen", () => _c.Supervisor.SetQueueOpenAsync(new SetQueueOpenRequest { QueueId = queue, Open = true, ValidateOnly = true }).ResponseAsync),
            ("GetCustomerJourney", () => _c.Customers.GetCustomerJourneyAsync(new GetCustomerJourneyRequest { CustomerId = routed.CustomerId }).ResponseAsync),
            ("UpsertCustomer", () => _c.Customers.UpsertCustomerAsync(new UpsertCustomerRequest { Customer = new Customer { CustomerId = routed.CustomerId } }).ResponseAsync),
        };

        foreach (var (rpc, call) in calls)
        {
            try
            {
                await call();
            }
            catch (RpcException e)
            {
                // Validation may refuse a call (moving into its own queue); it must not be unimplemented.
                Assert.True(e.StatusCode != StatusCode.Unimplemented, $"{rpc} answered UNIMPLEMENTED");
            }
        }
    }

    private static async Task FirstAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Lists_page_through_every_queue_in_id_order()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _c.QueueAsync($"paged-{i}"));
        }

        var seen = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await _c.Admin.ListQueuesAsync(new ListQueuesRequest { PageSize = 2, PageToken = token });
            Assert.True(page.Queues.Count <= 2);
            seen.AddRange(page.Queues.Select(q => q.QueueId));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Subset(seen.ToHashSet(), ids.ToHashSet());
    }
}
