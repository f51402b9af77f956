using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Api.Security;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Services;

/// <summary>
/// WallboardService: the reads a supervisors' wallboard needs beyond SupervisorService, answered by the services that
/// own them (so validation, paging and the live feed are theirs) under the supervisor policy instead of theirs.
/// </summary>
[Authorize(Policy = RoutingPolicies.Supervision)]
public sealed class WallboardGrpcService(IServiceProvider services) : Proto.WallboardService.WallboardServiceBase
{
    private readonly AdminGrpcService _admin = ActivatorUtilities.CreateInstance<AdminGrpcService>(services);
    private readonly WorkforceGrpcService _workforce = ActivatorUtilities.CreateInstance<WorkforceGrpcService>(services);
    private readonly RoutingGrpcService _routing = ActivatorUtilities.CreateInstance<RoutingGrpcService>(services);

    public override Task<Proto.ListQueuesResponse> ListQueues(Proto.ListQueuesRequest request, ServerCallContext context) =>
        _admin.ListQueues(request, context);

    public override Task WatchAgentOccupancy(Proto.WatchAgentOccupancyRequest request, IServerStreamWriter<Proto.AgentOccupancy> responseStream, ServerCallContext context) =>
        _workforce.WatchAgentOccupancy(request, responseStream, context);

    public override Task<Proto.Interaction> GetInteraction(Proto.GetInteractionRequest request, ServerCallContext context) =>
        _routing.GetInteraction(request, context);
}
