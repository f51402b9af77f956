namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// Erases customers' personal data (an administrator's request): a stateless worker, so the API reaches the erasure
/// through the grains alone. Key 0.
/// </summary>
public interface ICustomerErasureGrain : IGrainWithIntegerKey
{
    /// <summary>Erases <paramref name="customerId"/>'s profile, attributes and context everywhere; asked by <paramref name="actor"/>.</summary>
    Task<CustomerErasureResult> EraseCustomer(string customerId, Actor actor);
}

/// <summary>What an erasure left: the customer's pseudonymous id, and how many interactions forgot the customer.</summary>
[GenerateSerializer, Immutable]
public sealed record CustomerErasureResult(string PseudonymousId, int Interactions);
