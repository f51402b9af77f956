namespace Omnichannel.Routing.EndToEnd.Tests;

public sealed class MetricsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly EngineClient _c = new(fixture.Host.Channel);

    [Fact]
    public async Task The_prometheus_endpoint_exports_queue_depth_waits_decisions_offers_and_agent_states()
    {
        var queue = await _c.QueueAsync("metrics");
        var agent = await _c.AgentAsync("metrics-agent", [queue]);
        await using var desk = await _c.SignInAsync(agent);
        var routed = await _c.RouteAsync(queue);
        await desk.NextOfferAsync(routed.InteractionId);
        await desk.AcceptAsync(routed.InteractionId);
        await _c.RouteAsync(queue, "voice");
        using var http = new HttpClient();
        var url = new Uri($"http://127.0.0.1:{fixture.Host.Ports.Metrics}/metrics");

        // Observable gauges are read at scrape time; the exporter caches a scrape for a moment, so ask until it shows.
        var text = string.Empty;
        var deadline = DateTime.UtcNow + EngineClient.Wait;
        bool HasQueueDepth() => text.Split('\n').Any(l => l.StartsWith("routing_queue_depth{", StringComparison.Ordinal) && l.Contains($"queue=\"{queue}\"", StringComparison.Ordinal));
        while (!HasQueueDepth() && DateTime.UtcNow < deadline)
        {
            text = await http.GetStringAsync(url);
            await Task.Delay(200);
        }

        foreach (var metric in new[] { "routing_interactions_routed_total", "routing_offers_total", "routing_offers_accepted_total", "routing_wait_seconds_bucket", "routing_decision_duration_milliseconds_bucket", "routing_queue_depth", "routing_agents" })
        {
            Assert.Contains(metric, text, StringComparison.Ordinal);
        }

        Assert.True(HasQueueDepth(), "no queue depth for " + queue);
    }
}
