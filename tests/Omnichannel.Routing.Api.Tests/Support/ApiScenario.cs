using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.Api.Services;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests.Support;

/// <summary>Defines queues and agents through AdminService with ids unique to one test, and routes through RoutingService.</summary>
public sealed class ApiScenario(ApiHost host)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public ApiHost Host => host;

    public AdminGrpcService Admin { get; } = host.Service<AdminGrpcService>();

    public AgentGrpcService Agents { get; } = host.Service<AgentGrpcService>();

    public RoutingGrpcService Routing { get; } = host.Service<RoutingGrpcService>();

    public SupervisorGrpcService Supervisor { get; } = host.Service<SupervisorGrpcService>();

    public WorkforceGrpcService Workforce { get; } = host.Service<WorkforceGrpcService>();

    public CustomerGrpcService Customers { get; } = host.Service<CustomerGrpcService>();

    public string Id(string name) => $"{name}-{_suffix}";

    public static CapacityProfile Blended() => new()
    {
        TotalUnits = 100,
        Channels =
        {
            new ChannelCapacity { Channel = "voice", MaxConcurrent = 1, UnitCost = 100, Exclusive = true },
            new ChannelCapacity { Channel = "chat", MaxConcurrent = 3, UnitCost = 30 },
        },
    };

    public static Queue NewQueue(string queueId) => new()
    {
        QueueId = queueId,
        Channels = { "voice", "chat" },
        OfferTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
    };

    public async Task<string> QueueAsync(string name, Action<Queue>? configure = null)
    {
        var queue = NewQueue(Id(name));
        configure?.Invoke(queue);
        return (await host.CallAsync(Admin.UpsertQueue, new UpsertQueueRequest { Queue = queue })).QueueId;
    }

    public async Task<string> AgentAsync(string name, params string[] queueIds)
    {
        var agent = new Agent { AgentId = Id(name), Capacity = Blended(), QueueIds = { queueIds } };
        return (await host.CallAsync(Admin.UpsertAgent, new UpsertAgentRequest { Agent = agent })).AgentId;
    }

    public async Task<Interaction> RouteAsync(string queueId, Action<RouteInteractionRequest>? configure = null)
    {
        var request = NewRoute(queueId);
        configure?.Invoke(request);
        return (await host.CallAsync(Routing.RouteInteraction, request)).Interaction;
    }

    public RouteInteractionRequest NewRoute(string queueId) =>
        new() { CustomerId = Id("customer"), Channel = "chat", QueueId = queueId };

    public Task<Interaction> GetAsync(string interactionId) =>
        host.CallAsync(Routing.GetInteraction, new GetInteractionRequest { InteractionId = interactionId });
}
