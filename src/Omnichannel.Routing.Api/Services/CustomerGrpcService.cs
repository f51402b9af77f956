using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Api.Security;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Services;

/// <summary>CustomerService: the customer's profile and journey across channels.</summary>
public sealed class CustomerGrpcService(IGrainFactory grains) : Proto.CustomerService.CustomerServiceBase
{
    private const int MaxAttributes = 64;

    [Authorize(Policy = RoutingPolicies.CustomerJourneys)]
    public override async Task<Proto.GetCustomerJourneyResponse> GetCustomerJourney(Proto.GetCustomerJourneyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = FieldRules.Id(request.CustomerId, "customer_id");
        var (size, token) = FieldRules.Page(request.PageSize, request.PageToken);
        var page = await grains.GetGrain<ICustomerGrain>(id).GetJourney(size, token);
        var response = new Proto.GetCustomerJourneyResponse { Customer = page.Customer.ToProto(), NextPageToken = page.NextPageToken ?? string.Empty };
        response.Entries.AddRange(page.Entries.Select(e => e.ToProto()));
        return response;
    }

    [Authorize(Policy = RoutingPolicies.CustomerProfiles)]
    public override async Task<Proto.Customer> UpsertCustomer(Proto.UpsertCustomerRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Customer is not { } customer)
        {
            throw FieldRules.Invalid("customer", "is required");
        }

        var id = FieldRules.Id(customer.CustomerId, "customer.customer_id");
        var name = FieldRules.Text(customer.DisplayName, "customer.display_name", FieldRules.MaxDisplayNameLength) ?? string.Empty;
        if (customer.Attributes.Count > MaxAttributes)
        {
            throw FieldRules.Invalid("customer.attributes", $"has more than {MaxAttributes} entries");
        }

        FieldRules.Context(customer.Attributes, "customer.attributes");
        var view = await grains.GetGrain<ICustomerGrain>(id).Upsert(name, customer.Attributes.ToImmutable());
        return view.ToProto();
    }
}
