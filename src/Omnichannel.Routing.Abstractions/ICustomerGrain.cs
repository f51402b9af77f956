using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// One customer, keyed by customer id: profile, active interactions on every channel, the journey and the last
/// agent. It calls no other grain.
/// </summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    Task<CustomerView> Upsert(string displayName, ImmutableDictionary<string, string> attributes);

    Task<CustomerView> GetProfile();

    /// <summary>What a new interaction on <paramref name="channel"/> should know of the customer's journey.</summary>
    Task<CustomerRouteContext> GetRouteContext(string channel);

    /// <summary>Records progress of one of the customer's interactions (agent, state, times).</summary>
    [OneWay]
    Task RecordProgress(JourneyEntryView entry);

    Task<JourneyPage> GetJourney(int pageSize, string? pageToken);

    /// <summary>
    /// Erases the customer's profile, attributes and journey (an administrator's erasure): the state is cleared and
    /// the activation ends. Answers the interactions the journey held, so their grains forget the customer too.
    /// </summary>
    Task<ImmutableArray<string>> EraseProfile();

    /// <summary>Drops the context of these journey entries (retention): their times, queues and channels stay.</summary>
    Task ForgetContext(ImmutableArray<string> interactionIds);
}
