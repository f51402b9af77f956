using Grpc.Core;
using Omnichannel.Routing.Api.Tests.Support;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests.Services;

[Collection(SharedApiHost.Name)]
public sealed class CustomerGrpcServiceTests(ApiHost host)
{
    private readonly ApiScenario _s = new(host);

    [Fact]
    public async Task A_customer_upserted_shows_in_its_journey_with_each_routed_interaction()
    {
        var customerId = _s.Id("customer");
        await host.CallAsync(_s.Customers.UpsertCustomer, new UpsertCustomerRequest { Customer = new Customer { CustomerId = customerId, DisplayName = "Ada", Attributes = { ["tier"] = "gold" } } });
        var routed = await _s.RouteAsync(await _s.QueueAsync("journey"), r => r.CustomerId = customerId);

        var journey = await host.CallAsync(_s.Customers.GetCustomerJourney, new GetCustomerJourneyRequest { CustomerId = customerId });

        Assert.Equal("Ada", journey.Customer.DisplayName);
        Assert.Equal("gold", journey.Customer.Attributes["tier"]);
        Assert.Equal(routed.InteractionId, Assert.Single(journey.Entries).InteractionId);
    }

    [Fact]
    public async Task A_bad_attribute_names_the_key_and_leaves_the_customer_as_it_was()
    {
        var customerId = _s.Id("careful");
        await host.CallAsync(_s.Customers.UpsertCustomer, new UpsertCustomerRequest { Customer = new Customer { CustomerId = customerId, Attributes = { ["tier"] = "gold" } } });

        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "customer.attributes[bad key]", () => host.CallAsync(_s.Customers.UpsertCustomer, new UpsertCustomerRequest
        {
            Customer = new Customer { CustomerId = customerId, Attributes = { ["tier"] = "silver", ["bad key"] = "x" } },
        }));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "customer", () => host.CallAsync(_s.Customers.UpsertCustomer, new UpsertCustomerRequest()));

        var journey = await host.CallAsync(_s.Customers.GetCustomerJourney, new GetCustomerJourneyRequest { CustomerId = customerId });
        Assert.Equal("gold", journey.Customer.Attributes["tier"]);
    }
}
