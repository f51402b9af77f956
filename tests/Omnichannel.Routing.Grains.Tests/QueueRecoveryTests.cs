using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Abstractions;
using Orleans.Core.Internal;
using Orleans.TestingHost;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>
/// A queue's new activation rebuilds its waiting line from the event log's index of latest states (here a scripted
/// log), without activating the interactions; an interaction is called only when it is offered.
/// </summary>
public sealed class QueueRecoveryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly ScriptedEventLog Log = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Configurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private static QueueEntry Entry(string id, DateTimeOffset arrival) =>
        new(id, "c-1", "chat", 0, arrival, [], [], [], null, TimeSpan.Zero, Admitted: true, []);

    /// <summary>Configures the queue, lets its activation go, records what waits in it, and activates it again.</summary>
    private async Task<(IQueueGrain Queue, int Waiting)> ReactivatedAsync(Scenario scenario, params RecordedWait[] waiting)
    {
        var queueId = await scenario.QueueAsync("recovered", channels: ["chat"]);
        var queue = _cluster.Client.GetGrain<IQueueGrain>(queueId);
        await queue.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Log.Waiting[queueId] = waiting;
        return (queue, await queue.Recover());
    }

    [Fact]
    public async Task A_reactivated_queue_rebuilds_its_waiting_line_in_arrival_order_without_activating_the_interactions()
    {
        var scenario = new Scenario(_cluster.Client);
        var ids = new[] { scenario.Id("second"), scenario.Id("first"), scenario.Id("third") };

        var (queue, waiting) = await ReactivatedAsync(
            scenario,
            new RecordedWait(ids[0], Entry(ids[0], T0.AddMinutes(1))),
            new RecordedWait(ids[1], Entry(ids[1], T0)),
            new RecordedWait(ids[2], Entry(ids[2], T0.AddMinutes(2))));

        Assert.Equal(3, waiting);
        var positions = new List<int>();
        foreach (var id in new[] { ids[1], ids[0], ids[2] })
        {
            positions.Add((await queue.Locate(id))!.Position);
        }

        Assert.Equal(positions.Order(), positions);
        Assert.Equal(3, positions.Distinct().Count());
        var statistics = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        Assert.DoesNotContain(statistics, s => ids.Any(id => s.GrainId.ToString().Contains(id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Each_shard_of_a_sharded_queue_takes_back_exactly_the_waiting_interactions_that_hash_to_it()
    {
        var scenario = new Scenario(_cluster.Client);
        var queueId = await scenario.QueueAsync("recovered-sharded", channels: ["chat"], shards: 3);
        var keys = QueueShardKey.AllOf(queueId, 3).ToList();
        foreach (var key in keys)
        {
            await _cluster.Client.GetGrain<IQueueGrain>(key).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        }

        var ids = Enumerable.Range(0, 12).Select(i => scenario.Id($"waiting-{i}")).ToList();
        Log.Waiting[queueId] = [.. ids.Select((id, i) => new RecordedWait(id, Entry(id, T0.AddSeconds(i))))];

        Assert.Equal(12, await new QueueShards(_cluster.Client).RecoverAsync(queueId));
        foreach (var id in ids)
        {
            var holder = QueueShardKey.For(queueId, id, 3).GrainKey;
            foreach (var key in keys)
            {
                Assert.Equal(key == holder, await _cluster.Client.GetGrain<IQueueGrain>(key).Locate(id) is not null);
            }
        }
    }

    [Fact]
    public async Task A_recorded_entry_the_interaction_has_moved_on_from_is_refused_when_offered_and_never_offered_again()
    {
        var scenario = new Scenario(_cluster.Client);
        var stale = scenario.Id("stale");
        var (queue, waiting) = await ReactivatedAsync(scenario, new RecordedWait(stale, Entry(stale, T0)));
        Assert.Equal(1, waiting);

        // The interaction does not wait any more (here: it never existed), so its MarkOffered refuses the offer.
        var agent = await scenario.AgentAsync("agent", [queue.GetPrimaryKeyString()], Capacities.Chats(2));

        await Eventually.HoldsAsync(() => queue.Locate(stale), located => located is null, "the stale entry gone from the queue", Scenario.DefaultWait);
        var status = await scenario.WaitForAgentAsync(agent, s => s.UnitsUsed == 0 && s.Work.IsEmpty, "the agent holding nothing");
        Assert.Empty(status.Work);
        Assert.Equal(0, await queue.Recover());
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddEmbeddedRoutingStorage();
            siloBuilder.AddMemoryStreams(LiveFeeds.Provider);
            siloBuilder.AddMemoryGrainStorage("PubSubStore");
            siloBuilder.Services.AddSingleton<IRoutingEventLog>(Log);
            siloBuilder.Services.AddRoutingGrains();
        }
    }

    /// <summary>The embedded log, but with recorded waiting lines a test sets.</summary>
    private sealed class ScriptedEventLog : IRoutingEventLog
    {
        private readonly InMemoryRoutingEventLog _inner = new();

        public ConcurrentDictionary<string, IReadOnlyList<RecordedWait>> Waiting { get; } = new(StringComparer.Ordinal);

        public bool IsDurable => false;

        public ValueTask AppendAsync(IReadOnlyList<RoutingEvent> routingEvents, CancellationToken cancellationToken = default) => _inner.AppendAsync(routingEvents, cancellationToken);

        public ValueTask<IReadOnlyList<RoutingEvent>> ReadAsync(RoutingEventSubject subject, string subjectId, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(subject, subjectId, cancellationToken);

        public ValueTask<IReadOnlyList<RoutingEvent>> ReadNewestAsync(RoutingEventSubject subject, string subjectId, Core.RoutingEventType type, long beforeSequence, int limit, CancellationToken cancellationToken = default) =>
            _inner.ReadNewestAsync(subject, subjectId, type, beforeSequence, limit, cancellationToken);

        public ValueTask<IReadOnlyList<RoutingEvent>> ReadRangeAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken = default) =>
            _inner.ReadRangeAsync(since, until, limit, cancellationToken);

        public ValueTask<IReadOnlyList<RecordedWait>> WaitingEntriesInAsync(string queueId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Waiting.TryGetValue(queueId, out var waiting) ? waiting : []);

        public ValueTask<IReadOnlyList<string>> HeldInteractionsAsync(CancellationToken cancellationToken = default) => _inner.HeldInteractionsAsync(cancellationToken);

        public ValueTask<IReadOnlyList<string>> AgentsWithWorkAsync(CancellationToken cancellationToken = default) => _inner.AgentsWithWorkAsync(cancellationToken);

        public ValueTask EraseCustomerAsync(ErasedCustomer customer, CancellationToken cancellationToken = default) => _inner.EraseCustomerAsync(customer, cancellationToken);

        public ValueTask<IReadOnlyList<string>> EndedWithContextAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default) =>
            _inner.EndedWithContextAsync(endedBefore, limit, cancellationToken);

        public ValueTask ContextForgottenAsync(IReadOnlyList<string> interactionIds, CancellationToken cancellationToken = default) => _inner.ContextForgottenAsync(interactionIds, cancellationToken);
    }
}
