using System.Threading.Channels;
using Channel = System.Threading.Channels.Channel;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests;

/// <summary>The engine's six services as a test sees them, with ids unique to one test.</summary>
public sealed class EngineClient(CallInvoker channel)
{
    public EngineClient(GrpcChannel channel)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker())
    {
    }

    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public RoutingService.RoutingServiceClient Routing { get; } = new(channel);

    public AgentService.AgentServiceClient Agents { get; } = new(channel);

    public AdminService.AdminServiceClient Admin { get; } = new(channel);

    public CustomerService.CustomerServiceClient Customers { get; } = new(channel);

    public WorkforceService.WorkforceServiceClient Workforce { get; } = new(channel);

    public SupervisorService.SupervisorServiceClient Supervisor { get; } = new(channel);

    public string Id(string name) => $"{name}-{_suffix}";

    public static CapacityProfile Blended() => new()
    {
        TotalUnits = 100,
        Channels =
        {
            new ChannelCapacity { Channel = "voice", MaxConcurrent = 1, UnitCost = 100, Exclusive = true },
            new ChannelCapacity { Channel = "chat", MaxConcurrent = 3, UnitCost = 30 },
            new ChannelCapacity { Channel = "email", MaxConcurrent = 5, UnitCost = 20 },
        },
    };

    public async Task<string> QueueAsync(string name, Action<Queue>? configure = null)
    {
        var queue = new Queue
        {
            QueueId = Id(name),
            Channels = { "voice", "chat", "email" },
            OfferTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
        };
        configure?.Invoke(queue);
        await Admin.UpsertQueueAsync(new UpsertQueueRequest { Queue = queue });
        return queue.QueueId;
    }

    public async Task<string> AgentAsync(string name, string[] queues, CapacityProfile? capacity = null, Dictionary<string, int>? skills = null)
    {
        var agent = new Agent { AgentId = Id(name), DisplayName = name, Capacity = capacity ?? Blended(), QueueIds = { queues } };
        if (skills is not null)
        {
            agent.Skills.Add(skills);
        }

        await Admin.UpsertAgentAsync(new UpsertAgentRequest { Agent = agent });
        return agent.AgentId;
    }

    /// <summary>Signs the agent in and opens its desktop's offer stream.</summary>
    public async Task<AgentDesk> SignInAsync(string agentId)
    {
        var desk = await AgentDesk.OpenAsync(Agents, agentId);
        await Agents.SignInAsync(new SignInRequest { AgentId = agentId });
        return desk;
    }

    public async Task<Interaction> RouteAsync(string queueId, string channel = "chat", Action<RouteInteractionRequest>? configure = null)
    {
        var request = new RouteInteractionRequest { CustomerId = Id("customer"), Channel = channel, QueueId = queueId };
        configure?.Invoke(request);
        return (await Routing.RouteInteractionAsync(request)).Interaction;
    }

    /// <summary>Defines customer <paramref name="customerId"/> with a name and one attribute.</summary>
    public async Task<Customer> CustomerAsync(string customerId, string displayName, string attribute, string value) =>
        await Customers.UpsertCustomerAsync(new UpsertCustomerRequest
        {
            Customer = new Customer { CustomerId = customerId, DisplayName = displayName, Attributes = { [attribute] = value } },
        });

    /// <summary>Routes an interaction to <paramref name="queueId"/> that the desk's agent is offered and accepts.</summary>
    public async Task<Interaction> ServedAsync(AgentDesk desk, string queueId, Action<RouteInteractionRequest> configure)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var interaction = await RouteAsync(queueId, configure: configure);
        await desk.NextOfferAsync(interaction.InteractionId);
        return await desk.AcceptAsync(interaction.InteractionId);
    }

    public async Task<Interaction> GetAsync(string interactionId) =>
        await Routing.GetInteractionAsync(new GetInteractionRequest { InteractionId = interactionId });

    public async Task<Interaction> WaitForAsync(string interactionId, Func<Interaction, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var current = await GetAsync(interactionId);
            if (condition(current))
            {
                return current;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {interactionId} {what}; last seen {current}");
            }

            await Task.Delay(25);
        }
    }
}

/// <summary>An agent desktop: a live WatchOffers stream read in the background.</summary>
public sealed class AgentDesk : IAsyncDisposable
{
    private readonly AsyncServerStreamingCall<OfferEvent> _call;
    private readonly Channel<OfferEvent> _events = Channel.CreateUnbounded<OfferEvent>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    private AgentDesk(AgentService.AgentServiceClient agents, string agentId, AsyncServerStreamingCall<OfferEvent> call)
    {
        Agents = agents;
        AgentId = agentId;
        _call = call;
        _reader = Task.Run(ReadAsync);
    }

    public AgentService.AgentServiceClient Agents { get; }

    public string AgentId { get; }

    public static async Task<AgentDesk> OpenAsync(AgentService.AgentServiceClient agents, string agentId)
    {
        var call = agents.WatchOffers(new WatchOffersRequest { AgentId = agentId });
        var desk = new AgentDesk(agents, agentId, call);
        // The first message is the agent's status: the stream is attached from here on.
        await desk.NextAsync(e => e.EventCase == OfferEvent.EventOneofCase.Status, "the stream's first status");
        return desk;
    }

    public async Task<Offer> NextOfferAsync(string? interactionId = null) =>
        (await NextAsync(e => e.EventCase == OfferEvent.EventOneofCase.Offered && (interactionId is null || e.Offered.InteractionId == interactionId), $"an offer{(interactionId is null ? string.Empty : " of " + interactionId)}")).Offered;

    public async Task<OfferEvent> NextAsync(Func<OfferEvent, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(EngineClient.Wait);
        try
        {
            while (true)
            {
                var next = await _events.Reader.ReadAsync(timeout.Token);
                if (match(next))
                {
                    return next;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{AgentId} expected {what} within {EngineClient.Wait}");
        }
    }

    public async Task<Interaction> AcceptAsync(string interactionId) =>
        await Agents.AcceptOfferAsync(new AcceptOfferRequest { AgentId = AgentId, InteractionId = interactionId });

    public async Task<Interaction> RejectAsync(string interactionId) =>
        await Agents.RejectOfferAsync(new RejectOfferRequest { AgentId = AgentId, InteractionId = interactionId });

    public async Task<Interaction> CompleteAsync(string interactionId, string? disposition = null) =>
        await Agents.CompleteInteractionAsync(new CompleteInteractionRequest { AgentId = AgentId, InteractionId = interactionId, Disposition = disposition ?? string.Empty });

    public async Task<Interaction> EndWrapUpAsync(string interactionId) =>
        await Agents.EndWrapUpAsync(new EndWrapUpRequest { AgentId = AgentId, InteractionId = interactionId });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _call.Dispose();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var e in _call.ResponseStream.ReadAllAsync(_stop.Token))
            {
                await _events.Writer.WriteAsync(e);
            }
        }
        catch (Exception e) when (_stop.IsCancellationRequested && e is RpcException or OperationCanceledException or ObjectDisposedException)
        {
            // Disposing the call ends the stream with whichever of these the timing gives.
        }
        catch (RpcException e)
        {
            // The stream broke (the host went away): whoever waits for the next event hears why.
            _events.Writer.TryComplete(e);
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
