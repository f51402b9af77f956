using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// One customer: profile, active interactions on every channel, the journey (newest first, bounded) and the last
/// agent who served them. It calls no other grain, so anything may await it.
/// </summary>
public sealed class CustomerGrain : RoutingGrain, ICustomerGrain
{
    private readonly IPersistentState<CustomerRecord> _state;
    private readonly TimeProvider _clock;
    private readonly RoutingOptions _options;

    public CustomerGrain(
        [PersistentState("customer", RoutingOptions.StorageName)] IPersistentState<CustomerRecord> state,
        TimeProvider clock,
        IOptions<RoutingOptions> options)
    {
        _state = state;
        _clock = clock;
        _options = options.Value;
    }

    private string CustomerId => this.GetPrimaryKeyString();

    private CustomerRecord Record => _state.State;

    public async Task<CustomerView> Upsert(string displayName, ImmutableDictionary<string, string> attributes)
    {
        Record.DisplayName = displayName;
        Record.Attributes = attributes;
        await WriteDurablyAsync(_state);
        return View();
    }

    public Task<CustomerView> GetProfile() => Task.FromResult(View());

    public Task<CustomerRouteContext> GetRouteContext(string channel)
    {
        var now = _clock.GetUtcNow();
        // The journey continues when the customer had an interaction open, or ended one, within the window.
        var recent = Record.Journey.FirstOrDefault(e => !InteractionLifecycle.IsEnded(e.State) || (e.EndedAt ?? e.CreatedAt) >= now - _options.JourneyLinkWindow);
        var active = Record.Journey.FirstOrDefault(e =>
            e.Channel != channel && e.AgentId is not null && e.State is InteractionState.Offered or InteractionState.Connected or InteractionState.WrapUp);
        return Task.FromResult(new CustomerRouteContext(
            Record.LastAgentId,
            recent?.JourneyId ?? Guid.NewGuid().ToString("N"),
            recent?.Context ?? ImmutableDictionary<string, string>.Empty,
            active?.AgentId,
            [.. Record.Journey.Take(_options.OfferJourneyEntries).Select(e => e with { Context = ImmutableDictionary<string, string>.Empty })]));
    }

    public async Task RecordProgress(JourneyEntryView entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var index = Record.Journey.FindIndex(e => e.InteractionId == entry.InteractionId);
        if (index >= 0)
        {
            Record.Journey[index] = entry;
        }
        else
        {
            // Newest first: an interaction is placed by its creation time.
            var at = Record.Journey.FindIndex(e => e.CreatedAt <= entry.CreatedAt);
            Record.Journey.Insert(at < 0 ? Record.Journey.Count : at, entry);
            if (Record.Journey.Count > _options.JourneyLimit)
            {
                var excess = Record.Journey.Count - _options.JourneyLimit;
                Record.Journey.RemoveRange(_options.JourneyLimit, excess);
                Record.Trimmed += excess;
            }
        }

        if (entry.State == InteractionState.Connected && entry.AgentId is not null)
        {
            Record.LastAgentId = entry.AgentId;
        }

        await WriteDurablyAsync(_state);
    }

    public Task<JourneyPage> GetJourney(int pageSize, string? pageToken)
    {
        var offset = 0;
        if (!string.IsNullOrEmpty(pageToken) && !int.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            throw RoutingException.Invalid("page_token", "not a token this service issued");
        }

        var page = Record.Journey.Skip(offset).Take(pageSize).ToImmutableArray();
        var next = offset + page.Length < Record.Journey.Count ? (offset + page.Length).ToString(CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new JourneyPage(View(), page, next));
    }

    private CustomerView View() =>
        new(
            CustomerId,
            Record.DisplayName,
            Record.Attributes,
            Record.LastAgentId,
            [.. Record.Journey.Where(e => !InteractionLifecycle.IsEnded(e.State)).Select(e => e.InteractionId)]);
}
