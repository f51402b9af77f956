using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Services;

/// <summary>WorkforceService: occupancy for workforce tools. Not yet served: every RPC answers UNIMPLEMENTED.</summary>
public sealed class WorkforceGrpcService : Proto.WorkforceService.WorkforceServiceBase;
