using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Api.Security;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Services;

/// <summary>AdminService: administrators define channels, queues, agents and capacity profiles.</summary>
[Authorize(Policy = RoutingPolicies.Administration)]
public sealed class AdminGrpcService(IGrainFactory grains, AdminOperations operations, RegistryPager pager, CallerIdentity caller) : Proto.AdminService.AdminServiceBase
{
    public override Task<Proto.Channel> UpsertChannel(Proto.UpsertChannelRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return operations.UpsertChannelAsync(request.Channel, "channel", caller.ActorFor(context, ActorKind.Admin));
    }

    public override Task<Proto.Queue> UpsertQueue(Proto.UpsertQueueRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return operations.UpsertQueueAsync(request.Queue, "queue", caller.ActorFor(context, ActorKind.Admin));
    }

    public override async Task<Proto.Queue> GetQueue(Proto.GetQueueRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = FieldRules.Id(request.QueueId, "queue_id");
        var config = await grains.GetGrain<IQueueGrain>(id).GetConfig() ?? throw RoutingException.NotFound("queue_id", "queue", id);
        return config.ToProto();
    }

    public override async Task<Proto.ListQueuesResponse> ListQueues(Proto.ListQueuesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (size, token) = FieldRules.Page(request.PageSize, request.PageToken);
        var (ids, next) = await pager.PageAsync(Registry.Queues, size, token);
        var configs = await Task.WhenAll(ids.Select(id => grains.GetGrain<IQueueGrain>(id).GetConfig()));
        var response = new Proto.ListQueuesResponse { NextPageToken = next };
        response.Queues.AddRange(configs.OfType<QueueConfig>().Select(c => c.ToProto()));
        return response;
    }

    public override Task<Proto.Agent> UpsertAgent(Proto.UpsertAgentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return operations.UpsertAgentAsync(request.Agent, "agent", caller.ActorFor(context, ActorKind.Admin));
    }

    public override async Task<Proto.Agent> GetAgent(Proto.GetAgentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = FieldRules.Id(request.AgentId, "agent_id");
        var details = await grains.GetGrain<IAgentGrain>(id).GetDetails() ?? throw RoutingException.NotFound("agent_id", "agent", id);
        return details.ToProto();
    }

    public override async Task<Proto.ListAgentsResponse> ListAgents(Proto.ListAgentsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (size, token) = FieldRules.Page(request.PageSize, request.PageToken);
        var (ids, next) = await pager.PageAgentsAsync(FieldRules.OptionalId(request.QueueId, "queue_id"), "queue_id", size, token);
        var details = await Task.WhenAll(ids.Select(id => grains.GetGrain<IAgentGrain>(id).GetDetails()));
        var response = new Proto.ListAgentsResponse { NextPageToken = next };
        response.Agents.AddRange(details.OfType<AgentDetails>().Select(d => d.ToProto()));
        return response;
    }

    public override async Task<Proto.EraseCustomerResponse> EraseCustomer(Proto.EraseCustomerRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var customerId = FieldRules.Id(request.CustomerId, "customer_id");
        var erased = await grains.GetGrain<ICustomerErasureGrain>(0).EraseCustomer(customerId, caller.ActorFor(context, ActorKind.Admin));
        return new Proto.EraseCustomerResponse { PseudonymousId = erased.PseudonymousId, Interactions = erased.Interactions };
    }
}
