using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests;

public sealed class OfferStreamLossTests(ShortGraceHostFixture fixture) : IClassFixture<ShortGraceHostFixture>
{
    private readonly EngineClient _c = new(fixture.Host.Channel);

    [Fact]
    public async Task Losing_the_offer_stream_beyond_the_grace_period_returns_offers_to_the_queue()
    {
        var queue = await _c.QueueAsync("stream-loss");
        var lost = await _c.AgentAsync("lost-desktop", [queue]);
        var steady = await _c.AgentAsync("steady-desktop", [queue]);
        var desk = await _c.SignInAsync(lost);
        var routed = await _c.RouteAsync(queue);
        await desk.NextOfferAsync(routed.InteractionId);

        await desk.DisposeAsync();

        var back = await _c.WaitForAsync(routed.InteractionId, i => i.State == InteractionState.Queued, "back in its queue");
        Assert.Equal(routed.ArrivalTime, back.ArrivalTime);
        Assert.Contains(back.History, e => e.Type == "returned_on_stream_lost");
        var status = await _c.Admin.GetAgentAsync(new GetAgentRequest { AgentId = lost });
        Assert.Equal(AgentActivity.NotResponding, status.Status.Activity);

        await using var other = await _c.SignInAsync(steady);
        await other.NextOfferAsync(routed.InteractionId);
    }

    [Fact]
    public async Task A_desktop_that_stays_connected_keeps_its_offers_past_the_grace_period()
    {
        var queue = await _c.QueueAsync("stream-kept");
        var agent = await _c.AgentAsync("kept-desktop", [queue]);
        await using var desk = await _c.SignInAsync(agent);
        var routed = await _c.RouteAsync(queue);
        await desk.NextOfferAsync(routed.InteractionId);

        // Several lease renewals and grace periods pass while the stream is open.
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(InteractionState.Offered, (await _c.GetAsync(routed.InteractionId)).State);
        Assert.Equal(InteractionState.Connected, (await desk.AcceptAsync(routed.InteractionId)).State);
    }
}
