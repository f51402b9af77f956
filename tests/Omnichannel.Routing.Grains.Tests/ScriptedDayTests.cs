using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Orleans.TestingHost;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>
/// Occupancy and queue figures over a scripted hour, on a routing clock the test moves (Orleans' own clock is left
/// alone), against figures computed by hand.
/// </summary>
public sealed class ScriptedDayTests : IClassFixture<ScriptedDayTests.ScriptedClockCluster>
{
    private static readonly DateTimeOffset Eight = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private readonly ScriptedClockCluster _cluster;
    private readonly Scenario _s;

    public ScriptedDayTests(ScriptedClockCluster cluster)
    {
        _cluster = cluster;
        _s = new Scenario(cluster.Cluster.Client);
    }

    [Fact]
    public async Task Occupancy_and_queue_figures_match_a_scripted_hour()
    {
        var clock = ScriptedClockCluster.Clock;
        clock.SetUtcNow(Eight);
        // Long timers, so only the script moves anything: offers never expire, wrap-up ends when the agent says.
        var queue = await _s.QueueAsync("day", offerTimeout: TimeSpan.FromDays(1), wrapUp: TimeSpan.FromHours(1));
        await _cluster.Cluster.Client.GetGrain<IQueueGrain>(queue).Configure(
            (await _cluster.Cluster.Client.GetGrain<IQueueGrain>(queue).GetConfig())! with { ServiceLevel = new ServiceLevelConfig(80, TimeSpan.FromMinutes(2)) },
            new Actor(ActorKind.Admin, "test"));
        var agent = await _s.AgentAsync("day-agent", [queue], Capacities.Chats(1));
        var desk = _s.Agent(agent);

        At(8, 10);
        var a = await _s.RouteAsync(queue);
        await _s.WaitForOfferAsync(a, agent);
        At(8, 11);
        await desk.Accept(a);
        At(8, 20);
        await desk.Complete(a, "resolved");
        At(8, 25);
        await desk.EndWrapUp(a);
        At(8, 30);
        await desk.SetPresence(Presence.Away);
        At(8, 40);
        var b = await _s.RouteAsync(queue);
        At(8, 45);
        await desk.SetPresence(Presence.Available);
        await _s.WaitForOfferAsync(b, agent);
        At(8, 46);
        await desk.Accept(b);
        At(8, 47);
        var c = await _s.RouteAsync(queue);
        At(8, 52);
        await _s.Interaction(c).Cancel("caller hung up", new Actor(ActorKind.Frontend, "test"));
        At(8, 55);
        await desk.Complete(b, "resolved");
        At(8, 56);
        await desk.EndWrapUp(b);
        At(9, 0);

        var o = await desk.GetOccupancy();

        // Available 08:00–08:30 and 08:45–09:00; away 08:30–08:45.
        Assert.Equal(TimeSpan.FromMinutes(45), o.PresenceTime[Presence.Available]);
        Assert.Equal(TimeSpan.FromMinutes(15), o.PresenceTime[Presence.Away]);
        // Busy (offered or connected) 08:10–08:20 and 08:45–08:55; wrap-up 08:20–08:25 and 08:55–08:56; idle the rest.
        Assert.Equal(TimeSpan.FromMinutes(20), o.ActivityTime[AgentActivity.Busy]);
        Assert.Equal(TimeSpan.FromMinutes(6), o.ActivityTime[AgentActivity.WrapUp]);
        Assert.Equal(TimeSpan.FromMinutes(34), o.ActivityTime[AgentActivity.Idle]);
        // Occupied (connected or wrap-up) 08:11–08:25 and 08:46–08:56: 24 of 60 minutes; 10 of the last 15.
        Assert.Equal(40.0, o.OccupancyPercentToday, 3);
        Assert.Equal(100.0 * 10 / 15, o.OccupancyPercentRecent, 3);
        var chat = Assert.Single(o.Handling);
        Assert.Equal(("chat", 2L), (chat.Channel, chat.Handled));
        Assert.Equal(TimeSpan.FromMinutes(9), chat.AverageHandleTime);   // 08:11–08:20 and 08:46–08:55
        Assert.Equal(TimeSpan.FromMinutes(3), chat.AverageWrapUpTime);   // 5 and 1 minutes
        Assert.Equal(AgentActivity.Idle, o.Activity);

        // Queue: A answered after 1 min (within the 2-minute target), B after 6, C abandoned after 5 (counts against).
        var stats = await Eventually.HoldsAsync(
            () => _cluster.Cluster.Client.GetGrain<IQueueGrain>(queue).GetStats(),
            s => s.Answered == 2 && s.Abandoned == 1,
            "the queue to have counted both answers and the abandon",
            Scenario.DefaultWait);
        Assert.Equal(100.0 / 3, stats.ServiceLevelPercent, 3);
        Assert.Equal(TimeSpan.FromMinutes(3.5), stats.AverageWait);
        Assert.Equal((0, 0, 0), (stats.Waiting, stats.Offered, stats.Connected));
        Assert.Equal(TimeSpan.Zero, stats.LongestWait);
        Assert.Equal((1, 1), (stats.AgentsEligible, stats.AgentsAvailable));
        Assert.True(stats.Open);
    }

    private static void At(int hour, int minute) => ScriptedClockCluster.Clock.SetUtcNow(Eight.Date.AddHours(hour).AddMinutes(minute));

    /// <summary>A silo whose routing clock is a <see cref="FakeTimeProvider"/> the test sets.</summary>
    public sealed class ScriptedClockCluster : IAsyncLifetime
    {
        public static FakeTimeProvider Clock { get; } = new(Eight);

        public TestCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var builder = new TestClusterBuilder(1);
            builder.AddSiloBuilderConfigurator<Configurator>();
            Cluster = builder.Build();
            await Cluster.DeployAsync();
        }

        public async Task DisposeAsync()
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        private sealed class Configurator : ISiloConfigurator
        {
            public void Configure(ISiloBuilder siloBuilder)
            {
                siloBuilder.AddEmbeddedRoutingStorage();
                siloBuilder.AddMemoryStreams(LiveFeeds.Provider);
                siloBuilder.AddMemoryGrainStorage("PubSubStore");
                siloBuilder.Services.AddKeyedSingleton<TimeProvider>(RoutingOptions.ClockKey, Clock);
                siloBuilder.Services.AddRoutingGrains();
                siloBuilder.Services.Configure<RoutingOptions>(o =>
                {
                    o.OfferStreamGrace = TimeSpan.FromDays(1000);
                    o.OfferStreamLease = TimeSpan.FromDays(1000);
                    o.ReconcilePeriod = TimeSpan.FromDays(1);
                    o.StatisticsWindow = TimeSpan.FromHours(4);
                });
            }
        }
    }
}
