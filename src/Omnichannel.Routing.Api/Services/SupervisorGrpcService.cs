using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Services;

/// <summary>SupervisorService: queue statistics and live rebalancing. Not yet served: every RPC answers UNIMPLEMENTED.</summary>
public sealed class SupervisorGrpcService : Proto.SupervisorService.SupervisorServiceBase;
