using Grpc.Core;
using Omnichannel.Routing.Api.Tests.Support;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests.Services;

/// <summary>Card numbers are refused wherever front-ends put free text, before anything is stored.</summary>
[Collection(SharedApiHost.Name)]
public sealed class CardDataTests(ApiHost host)
{
    private const string Card = "4111-1111-1111-1111";
    private readonly ApiScenario _s = new(host);

    [Fact]
    public async Task A_route_with_a_card_number_in_its_context_is_refused_naming_the_key_and_nothing_is_stored()
    {
        var queueId = await _s.QueueAsync("pan-route");
        var request = _s.NewRoute(queueId);
        request.RequestId = _s.Id("pan-request");
        request.Context["ivr.digits"] = Card;

        var refused = await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "context[ivr.digits]", () => host.CallAsync(_s.Routing.RouteInteraction, request));

        Assert.DoesNotContain("1111", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, (await host.CallAsync(_s.Supervisor.GetQueueStats, new GetQueueStatsRequest { QueueId = queueId })).Waiting);
        var journey = await host.CallAsync(_s.Customers.GetCustomerJourney, new GetCustomerJourneyRequest { CustomerId = request.CustomerId });
        Assert.Empty(journey.Entries);
    }

    [Fact]
    public async Task A_customer_attribute_holding_a_card_number_is_refused_naming_the_key()
    {
        var customerId = _s.Id("pan-customer");
        var customer = new Customer { CustomerId = customerId, DisplayName = "Ada", Attributes = { ["tier"] = "gold", ["last_card"] = Card } };

        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "customer.attributes[last_card]", () => host.CallAsync(_s.Customers.UpsertCustomer, new UpsertCustomerRequest { Customer = customer }));

        var journey = await host.CallAsync(_s.Customers.GetCustomerJourney, new GetCustomerJourneyRequest { CustomerId = customerId });
        Assert.Empty(journey.Customer.Attributes);
    }
}
