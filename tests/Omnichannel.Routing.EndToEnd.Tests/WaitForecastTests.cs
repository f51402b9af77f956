using Omnichannel.Routing.EndToEnd.Tests.Durable;
using Omnichannel.Routing.V1;
using Xunit.Abstractions;

namespace Omnichannel.Routing.EndToEnd.Tests;

/// <summary>
/// The supervisors' <c>validate_only</c> forecast against real waits. It times real lifecycles, so it runs alone
/// (its collection is not parallelised): beside the durable tests' clusters on two cores, the desks' round trips
/// stretched the measured wait past any fair tolerance while the forecast itself was right.
/// </summary>
[Collection(nameof(WaitForecastTests))]
public sealed class WaitForecastTests(HostFixture fixture, ITestOutputHelper output) : IClassFixture<HostFixture>
{
    private readonly EngineClient _c = new(fixture.Host.Channel);

    private static CapacityProfile OneChat() => new() { TotalUnits = 1, Channels = { new ChannelCapacity { Channel = "chat", MaxConcurrent = 1, UnitCost = 1 } } };

    [Fact]
    public async Task The_predicted_wait_after_a_rebalance_matches_what_then_happens()
    {
        var source = await _c.QueueAsync("forecast-source");
        var target = await _c.QueueAsync("forecast-target");
        var handle = TimeSpan.FromMilliseconds(400);
        await using var load = new ContactCentreLoad(_c, target);
        for (var i = 0; i < 2; i++)
        {
            load.Staff(await _c.AgentAsync($"forecast-agent-{i}", [target], OneChat()), handle);
        }

        // The target queue learns its handle time from ten interactions served the scripted way.
        for (var i = 0; i < 10; i++)
        {
            var warmUp = await _c.RouteAsync(target);
            await _c.WaitForAsync(warmUp.InteractionId, x => x.State == InteractionState.Completed, "completed during warm-up");
        }

        for (var i = 0; i < 10; i++)
        {
            await _c.RouteAsync(source);
        }

        var preview = await _c.Supervisor.RebalanceQueueAsync(new RebalanceQueueRequest { SourceQueueId = source, TargetQueueId = target, MaxInteractions = 10, ValidateOnly = true });
        var predicted = preview.Impacts.Single(i => i.QueueId == target).EstimatedWaitAfter.ToTimeSpan();
        await _c.Supervisor.RebalanceQueueAsync(new RebalanceQueueRequest { SourceQueueId = source, TargetQueueId = target, MaxInteractions = 10 });
        var arrival = await _c.RouteAsync(target);
        var answered = await _c.WaitForAsync(arrival.InteractionId, x => x.State is InteractionState.Connected or InteractionState.WrapUp or InteractionState.Completed, "answered");
        var actual = answered.ConnectTime.ToDateTimeOffset() - answered.ArrivalTime.ToDateTimeOffset();

        // Two agents, ~0.4 s each: the 11th in line waits about 11 × 0.4 / 2 = 2.2 s. Within 50 %.
        output.WriteLine($"predicted {predicted.TotalSeconds:F2} s, actual {actual.TotalSeconds:F2} s");
        Assert.InRange(actual.TotalSeconds, predicted.TotalSeconds * 0.5, predicted.TotalSeconds * 1.5);
    }
}

/// <summary>Runs <see cref="WaitForecastTests"/> with no other test collection at the same time.</summary>
[CollectionDefinition(nameof(WaitForecastTests), DisableParallelization = true)]
public sealed class WaitForecastRunsAlone;
