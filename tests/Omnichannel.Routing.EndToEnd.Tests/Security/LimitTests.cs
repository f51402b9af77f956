using Grpc.Core;
using Grpc.Health.V1;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Security;

/// <summary>Limits that answer RESOURCE_EXHAUSTED, naming the limit, and leave the host healthy.</summary>
public sealed class LimitTests(LimitTests.TightLimitsFixture fixture) : IClassFixture<LimitTests.TightLimitsFixture>
{
    /// <summary>A secure host whose principals get three calls at once, one more a second, and two open streams.</summary>
    public sealed class TightLimitsFixture : SecureHostFixture
    {
        protected override IReadOnlyList<string> Settings => ["--Limits:RequestsPerSecond=1", "--Limits:Burst=3", "--Limits:MaxWatchStreams=2"];
    }

    [Theory]
    [InlineData(300 * 1024)]
    [InlineData(4 * 1024 * 1024)]
    public async Task An_oversized_request_is_resource_exhausted_naming_the_limit(int size)
    {
        var admin = new EngineClient(fixture.ChannelAs($"big-{size}", "admin"));
        var customer = new Customer { CustomerId = admin.Id("big"), DisplayName = new string('x', size) };

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await admin.Customers.UpsertCustomerAsync(new UpsertCustomerRequest { Customer = customer }));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("maximum", refused.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_principal_over_its_rate_is_resource_exhausted_and_the_host_stays_healthy()
    {
        var admin = new EngineClient(fixture.ChannelAs("hasty", "admin"));
        var codes = new List<StatusCode>();

        for (var i = 0; i < 10; i++)
        {
            try
            {
                await admin.Admin.ListQueuesAsync(new ListQueuesRequest());
                codes.Add(StatusCode.OK);
            }
            catch (RpcException e)
            {
                codes.Add(e.StatusCode);
            }
        }

        Assert.Contains(StatusCode.OK, codes);
        Assert.Contains(StatusCode.ResourceExhausted, codes);
        Assert.DoesNotContain(codes, c => c is not StatusCode.OK and not StatusCode.ResourceExhausted);
        var health = await new Health.HealthClient(fixture.ChannelWith(token: null)).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        // Another principal has a budget of its own.
        Assert.NotNull(await new EngineClient(fixture.ChannelAs("patient", "admin")).Admin.ListQueuesAsync(new ListQueuesRequest()));
    }

    [Fact]
    public async Task A_principal_cannot_hold_more_streams_open_than_its_limit()
    {
        var queue = await new EngineClient(fixture.ChannelAs("stream-admin", "admin")).QueueAsync("watched");
        var supervisor = new SupervisorService.SupervisorServiceClient(fixture.ChannelAs("watcher", "supervisor"));
        var request = new WatchQueueStatsRequest { QueueIds = { queue } };
        using var first = supervisor.WatchQueueStats(request);
        using var second = supervisor.WatchQueueStats(request);
        // Each stream's first figures: both are open and counted from here on.
        Assert.True(await first.ResponseStream.MoveNext());
        Assert.True(await second.ResponseStream.MoveNext());

        using var third = supervisor.WatchQueueStats(request);
        var refused = await Assert.ThrowsAsync<RpcException>(() => third.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("Limits:MaxWatchStreams", refused.Status.Detail, StringComparison.Ordinal);
    }
}
