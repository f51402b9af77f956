using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests;

/// <summary>
/// A desktop gateway multiplexes many agents' offer streams over one HTTP/2 connection: the host's streams per
/// connection (<c>Host:Http2MaxStreamsPerConnection</c>) must not stop it at Kestrel's 100.
/// </summary>
public sealed class GatewayConnectionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    /// <summary>Half as many again as Kestrel's default of 100 streams per connection.</summary>
    private const int Agents = 150;

    private static readonly TimeSpan StaffingBound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task One_connection_carries_an_offer_stream_for_each_of_150_agents_and_the_last_one_gets_its_offer()
    {
        // One connection and no more: the handler may not open a second one when the first is full.
        using var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false };
        using var channel = GrpcChannel.ForAddress(fixture.Host.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        var c = new EngineClient(channel.Intercept(new RoleTokens(fixture.Host.Tokens!)));
        var shared = await c.QueueAsync("gateway");
        var own = await c.QueueAsync("gateway-last");
        var desks = new List<AgentDesk>();
        using var stop = new CancellationTokenSource();
        try
        {
            // Past the limit a call waits for a free stream without end, so the whole staffing has a (generous) bound.
            var staffing = StaffAsync(c, desks, shared, own, stop.Token);
            if (await Task.WhenAny(staffing, Task.Delay(StaffingBound)) != staffing)
            {
                Assert.Fail($"{desks.Count} of {Agents} agents had a live offer stream on the one connection after {StaffingBound}; the next call waited for a free stream");
            }

            await staffing;

            var routed = await c.RouteAsync(own).WaitAsync(StaffingBound);

            var offer = await desks[^1].NextOfferAsync(routed.InteractionId);
            Assert.Equal(desks[^1].AgentId, offer.Interaction.AgentId);
            Assert.Equal(InteractionState.Offered, (await c.GetAsync(routed.InteractionId)).State);
        }
        finally
        {
            // A staffing that timed out stops adding desks; those it has are closed.
            await stop.CancelAsync();
            foreach (var desk in desks.ToArray())
            {
                await desk.DisposeAsync();
            }
        }
    }

    private static async Task StaffAsync(EngineClient c, List<AgentDesk> desks, string shared, string own, CancellationToken stop)
    {
        for (var i = 1; i <= Agents && !stop.IsCancellationRequested; i++)
        {
            // The last agent alone serves a queue of its own, so a route there can only be offered on its stream.
            var agent = await c.AgentAsync($"gateway-agent-{i}", [i == Agents ? own : shared]);
            desks.Add(await c.SignInAsync(agent));
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("many")]
    public async Task A_stream_limit_that_is_not_a_whole_number_of_at_least_one_refuses_to_start_naming_the_setting(string limit)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync($"--Host:Http2MaxStreamsPerConnection={limit}"));

        Assert.Contains("exited with code 2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Host:Http2MaxStreamsPerConnection must be a whole number of at least 1", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"not '{limit}'", refused.Message, StringComparison.Ordinal);
    }
}
