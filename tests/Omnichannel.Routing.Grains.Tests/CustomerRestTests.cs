using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Abstractions;
using Orleans.TestingHost;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>
/// The customer grain with the embedded storage: the record it stores once its last interaction ended is the one the
/// storage counts at rest (and may forget), with nothing left to log.
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
        var resting = await StoredAsync(customer, r => r.Logged.Count == 2 && r.UnloggedEvents.Count == 0, "both ended entries stored, logged");
        Assert.True(resting.IsAtRest);
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
