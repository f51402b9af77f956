using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.PersonalData;
using Orleans.TestingHost;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>Erasure and retention in the embedded default: the grains and the in-memory log forget the customer.</summary>
[Collection(SharedRoutingCluster.Name)]
public sealed class CustomerErasureTests(RoutingCluster cluster)
{
    private const string Attribute = "loyalty-card-77Q3";
    private const string ContextValue = "order-ZX-40913";

    private readonly Scenario _s = new(cluster.Client);

    private IRoutingEventLog SiloLog => ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost!.Services.GetRequiredService<IRoutingEventLog>();

    [Fact]
    public async Task An_erased_customer_leaves_no_profile_context_or_journey_only_a_pseudonymous_record_of_the_erasure()
    {
        var (customer, interactions) = await CustomerWithEndedInteractionsAsync("erase");
        var admin = new Actor(ActorKind.Admin, "dpo@example");

        var erased = await cluster.Client.GetGrain<ICustomerErasureGrain>(0).EraseCustomer(customer, admin);

        Assert.StartsWith(CustomerPseudonyms.Prefix, erased.PseudonymousId, StringComparison.Ordinal);
        Assert.Equal(interactions.Length, erased.Interactions);
        var profile = await cluster.Client.GetGrain<ICustomerGrain>(customer).GetProfile();
        Assert.Equal((string.Empty, 0, 0), (profile.DisplayName, profile.Attributes.Count, (await cluster.Client.GetGrain<ICustomerGrain>(customer).GetJourney(50, null)).Entries.Length));
        foreach (var id in interactions)
        {
            var snapshot = await _s.SnapshotAsync(id);
            Assert.Equal(erased.PseudonymousId, snapshot.CustomerId);
            Assert.Empty(snapshot.Context);
            Assert.Equal(InteractionState.Abandoned, snapshot.State);
        }

        var logged = await SiloLog.ReadRangeAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, int.MaxValue);
        Assert.DoesNotContain(logged, e => e.SubjectId == customer || (e.Detail ?? string.Empty).Contains(ContextValue, StringComparison.Ordinal));
        var record = Assert.Single(logged, e => e.Type == RoutingEventType.CustomerErased && e.SubjectId == erased.PseudonymousId);
        Assert.Equal(admin, record.Actor);
        Assert.Equal(interactions.Length, logged.Count(e => e.Subject == RoutingEventSubject.Interaction && e.Type == RoutingEventType.Routed && interactions.Contains(e.SubjectId)));
    }

    [Fact]
    public async Task Erasing_a_customer_twice_gives_the_same_pseudonymous_id()
    {
        var (customer, _) = await CustomerWithEndedInteractionsAsync("twice");
        var erasures = cluster.Client.GetGrain<ICustomerErasureGrain>(0);

        var first = await erasures.EraseCustomer(customer, new Actor(ActorKind.Admin, "dpo"));
        var second = await erasures.EraseCustomer(customer, new Actor(ActorKind.Admin, "dpo"));

        Assert.Equal(first.PseudonymousId, second.PseudonymousId);
        Assert.Equal(0, second.Interactions);
    }

    [Fact]
    public async Task Retention_makes_interactions_that_ended_before_its_cutoff_forget_their_context_and_keep_their_customer()
    {
        var (customer, interactions) = await CustomerWithEndedInteractionsAsync("retain");
        var twoDaysOn = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(2));
        var retention = new ContextRetention(cluster.Client, SiloLog, Options.Create(new RetentionOptions { ContextDays = 1, PurgeBatch = 50 }), twoDaysOn, NullLogger<ContextRetention>.Instance);

        // Bounded passes: each forgets at most PurgeBatch, so the shared silo's other interactions take several.
        while (await retention.PurgeOnceAsync() > 0)
        {
        }

        foreach (var id in interactions)
        {
            var snapshot = await _s.SnapshotAsync(id);
            Assert.Empty(snapshot.Context);
            Assert.Equal(customer, snapshot.CustomerId);
        }

        var journey = await cluster.Client.GetGrain<ICustomerGrain>(customer).GetJourney(50, null);
        Assert.Equal(interactions.Length, journey.Entries.Length);
        Assert.All(journey.Entries, e => Assert.Empty(e.Context));
        Assert.Equal(Attribute, journey.Customer.Attributes["card"]);
    }

    [Fact]
    public async Task Retention_set_to_zero_days_forgets_nothing()
    {
        var (_, interactions) = await CustomerWithEndedInteractionsAsync("keep");
        var retention = new ContextRetention(cluster.Client, SiloLog, Options.Create(new RetentionOptions()), new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(5)), NullLogger<ContextRetention>.Instance);

        Assert.Equal(0, await retention.PurgeOnceAsync());
        Assert.Equal(ContextValue, (await _s.SnapshotAsync(interactions[0])).Context["order"]);
    }

    private async Task<(string Customer, ImmutableArray<string> Interactions)> CustomerWithEndedInteractionsAsync(string name)
    {
        var queue = await _s.QueueAsync(name);
        var customer = _s.Id("customer-" + name);
        await cluster.Client.GetGrain<ICustomerGrain>(customer).Upsert("Ada Example", ImmutableDictionary<string, string>.Empty.Add("card", Attribute));
        var context = ImmutableDictionary<string, string>.Empty.Add("order", ContextValue);
        var interactions = ImmutableArray.Create(
            await _s.RouteAsync(queue, customer: customer, context: context),
            await _s.RouteAsync(queue, customer: customer, context: context));
        foreach (var id in interactions)
        {
            await _s.Interaction(id).Cancel("left", new Actor(ActorKind.Frontend, "test"));
        }

        // The journey hears of the ends one-way: wait until the customer grain has them.
        await Eventually.HoldsAsync(
            () => cluster.Client.GetGrain<ICustomerGrain>(customer).GetJourney(50, null),
            j => j.Entries.Length == interactions.Length && j.Entries.All(e => e.State == InteractionState.Abandoned),
            "both interactions ended in the journey",
            Scenario.DefaultWait);
        return (customer, interactions);
    }
}
