using Grpc.Core;
using Omnichannel.LoadTests.V1;

namespace Omnichannel.Routing.EchoServer;

/// <summary>EchoService: answers the payload, and nothing else, so its throughput is gRPC's own.</summary>
internal sealed class EchoGrpcService : EchoService.EchoServiceBase
{
    public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(new EchoReply { Payload = request.Payload });
    }
}
