using Grpc.Core;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests;

/// <summary>Past <c>Api:MaxRoutesInFlight</c> a route is shed at once, cleanly, rather than queued without bound.</summary>
public sealed class OverloadTests
{
    [Fact]
    public async Task A_route_beyond_the_in_flight_limit_is_refused_with_resource_exhausted_and_changes_nothing()
    {
        // A limit of zero makes every route one too many, so the refusal path is exercised deterministically.
        await using var engine = await HostProcess.StartAsync("--Api:MaxRoutesInFlight=0");
        var c = new EngineClient(engine.Channel);
        var queue = await c.QueueAsync("shed");
        var customer = c.Id("shed-customer");

        var refused = await Assert.ThrowsAsync<RpcException>(() => c.RouteAsync(queue, configure: r => r.CustomerId = customer));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("request_id", refused.Status.Detail, StringComparison.Ordinal);
        var stats = await c.Supervisor.GetQueueStatsAsync(new GetQueueStatsRequest { QueueId = queue });
        Assert.Equal(0, stats.Waiting);
        var journey = await c.Customers.GetCustomerJourneyAsync(new GetCustomerJourneyRequest { CustomerId = customer });
        Assert.Empty(journey.Entries);
    }
}
