using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Abstractions;
using Orleans.Core.Internal;
using Orleans.TestingHost;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>
/// The customer grain with the embedded storage: the record it stores once its last interaction ended is the one the
/// storage counts at rest (and may forget); that write logged its events.
/// </summary>
[Collection(SharedRoutingCluster.Name)]
public sealed class CustomerRestTests(RoutingCluster cluster)
{
    private readonly Scenario _s = new(cluster.Client);

    private InProcessGrainStorage Storage => ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost!.Services.GetRequiredService<InProcessGrainStorage>();

    [Fact]
    public async Task A_customer_is_stored_at_rest_once_its_last_interaction_ended_and_not_while_one_is_open()
    {
        var queue = await _s.QueueAsync("rest");
        var customer = _s.Id("resting");
        var first = await _s.RouteAsync(queue, customer: customer);
        var second = await _s.RouteAsync(queue, customer: customer);
        await StoredAsync(customer, r => r.Journey.Count == 2, "both interactions in the stored journey");

        await _s.Interaction(first).Cancel("customer left", new Actor(ActorKind.Frontend, "test"));
        var oneOpen = await StoredAsync(customer, r => r.Logged.Count == 1, "the first ended entry stored");
        Assert.False(oneOpen.IsAtRest);

        await _s.Interaction(second).Cancel("customer left", new Actor(ActorKind.Frontend, "test"));
        var resting = await StoredAsync(customer, r => r.Logged.Count == 2, "both ended entries stored");
        Assert.True(resting.IsAtRest);
    }

    [Fact]
    public async Task Grains_reactivated_from_copies_that_list_their_last_events_log_each_event_once()
    {
        var queue = await _s.QueueAsync("relogged");
        var customer = _s.Id("relogged");
        var interaction = await _s.RouteAsync(queue, customer: customer);
        await _s.Interaction(interaction).Cancel("customer left", new Actor(ActorKind.Frontend, "test"));
        await StoredAsync(customer, r => r.Logged.Count == 1, "the ended entry stored");

        await _s.Interaction(interaction).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await cluster.Client.GetGrain<ICustomerGrain>(customer).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.NotNull(await _s.Interaction(interaction).GetSnapshot());
        await cluster.Client.GetGrain<ICustomerGrain>(customer).GetJourney(10, null);

        var log = ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost!.Services.GetRequiredService<IRoutingEventLog>();
        var logged = (await log.ReadRangeAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, int.MaxValue))
            .Where(e => e.SubjectId == interaction || e.SubjectId == customer)
            .ToList();
        Assert.Contains(logged, e => e.Subject == RoutingEventSubject.Customer);
        Assert.Contains(logged, e => e.Subject == RoutingEventSubject.Interaction && e.Type == Core.RoutingEventType.Cancelled);
        Assert.Empty(logged.GroupBy(e => (e.Subject, e.SubjectId, e.Sequence)).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    private Task<CustomerRecord> StoredAsync(string customerId, Func<CustomerRecord, bool> condition, string what) =>
        Eventually.HoldsAsync(
            async () =>
            {
                var read = new GrainState<CustomerRecord>(new CustomerRecord());
                await Storage.ReadStateAsync("customer", cluster.Client.GetGrain<ICustomerGrain>(customerId).GetGrainId(), read);
                return Assert.IsType<CustomerRecord>(read.State);
            },
            condition,
            what,
            Scenario.DefaultWait);
}
