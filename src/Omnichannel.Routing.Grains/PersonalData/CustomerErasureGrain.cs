using Omnichannel.Routing.Abstractions;
using Orleans.Concurrency;

namespace Omnichannel.Routing.Grains.PersonalData;

/// <summary>Runs <see cref="CustomerErasure"/> for the API; it keeps no state, so any silo's activation serves.</summary>
[StatelessWorker]
public sealed class CustomerErasureGrain(CustomerErasure erasure) : Grain, ICustomerErasureGrain
{
    public Task<CustomerErasureResult> EraseCustomer(string customerId, Actor actor) => erasure.EraseAsync(customerId, actor);
}
