using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.PersonalData;

/// <summary>
/// Erases one customer's personal data everywhere the engine keeps it, in this order: the customer grain clears its
/// profile, attributes and journey; each of the customer's interactions (the grain's journey and the log's) forgets
/// its context and keeps a pseudonymous customer id; the event log drops what it holds of the customer; and the
/// erasure is recorded, under the pseudonym, with the principal who asked. Every step may be repeated, so an erasure
/// that failed half-way is finished by asking again.
/// </summary>
public sealed class CustomerErasure(
    IGrainFactory grains,
    IRoutingEventLog eventLog,
    CustomerPseudonyms pseudonyms,
    IOptions<RetentionOptions> options,
    [FromKeyedServices(RoutingOptions.ClockKey)] TimeProvider clock)
{
    private const int JourneyPage = 500;

    /// <summary>Erases <paramref name="customerId"/>; answers its pseudonymous id and how many interactions forgot it.</summary>
    public async Task<CustomerErasureResult> EraseAsync(string customerId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var pseudonym = pseudonyms.Of(customerId);
        var inGrain = await grains.GetGrain<ICustomerGrain>(customerId).EraseProfile();
        var interactions = inGrain.Concat(await LoggedJourneyAsync(customerId, cancellationToken)).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var erasure = ContextErasure.OfCustomer(pseudonym);
        // A few at a time, in the caller's turn: an erasure of a frequent customer never floods the storage.
        foreach (var chunk in interactions.Chunk(Math.Max(1, options.Value.Parallelism)))
        {
            await Task.WhenAll(chunk.Select(id => grains.GetGrain<IInteractionGrain>(id).ForgetPersonalData(erasure)));
        }

        await eventLog.EraseCustomerAsync(new ErasedCustomer(customerId, pseudonym, interactions), cancellationToken);
        await eventLog.AppendAsync([RoutingEvent.ForCustomerErasure(clock.GetUtcNow(), pseudonym, actor, interactions.Length)], cancellationToken);
        return new CustomerErasureResult(pseudonym, interactions.Length);
    }

    /// <summary>Interactions of the journey entries the log holds past the grain's bound.</summary>
    private async Task<List<string>> LoggedJourneyAsync(string customerId, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var before = long.MaxValue;
        while (true)
        {
            var page = await eventLog.ReadNewestAsync(RoutingEventSubject.Customer, customerId, Core.RoutingEventType.JourneyEntry, before, JourneyPage, cancellationToken);
            ids.AddRange(page.Select(e => e.InteractionId).OfType<string>());
            if (page.Count < JourneyPage)
            {
                return ids;
            }

            before = page[^1].Sequence;
        }
    }
}
