using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// One customer: profile, active interactions on every channel, the journey and the last agent who served them.
/// The grain keeps the newest <see cref="RoutingOptions.JourneyLimit"/> journey entries; every entry that ends is also
/// written to the event log ("journey_entry"), which is where paging continues past the grain's bound. It calls no
/// other grain, so anything may await it.
/// </summary>
/// <remarks>
/// An idle activation goes after two minutes instead of Orleans' fifteen: customers come and go by the hundred
/// thousand, and each activation holds a copy of the record; the next contact reads it back from storage.
/// </remarks>
[CollectionAgeLimit(Minutes = 2)]
public sealed class CustomerGrain : RoutingGrain, ICustomerGrain
{
    private const string GrainPage = "g:";
    private const string LogPage = "l:";

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly IPersistentState<CustomerRecord> _state;
    private readonly TimeProvider _clock;
    private readonly IRoutingEventLog _eventLog;
    private readonly RoutingOptions _options;
    private readonly ILogger<CustomerGrain> _logger;
    private EventOutbox? _outbox;

    public CustomerGrain(
        [PersistentState("customer", RoutingOptions.StorageName)] IPersistentState<CustomerRecord> state,
        [FromKeyedServices(RoutingOptions.ClockKey)] TimeProvider clock,
        IRoutingEventLog eventLog,
        IOptions<RoutingOptions> options,
        ILogger<CustomerGrain> logger)
    {
        _logger = logger;
        _state = state;
        _clock = clock;
        _eventLog = eventLog;
        _options = options.Value;
    }

    private string CustomerId => this.GetPrimaryKeyString();

    private CustomerRecord Record => _state.State;

    private EventOutbox Outbox => _outbox ??= new EventOutbox(_eventLog, () => _state.State.UnloggedEvents, _logger, $"Customer {CustomerId}");

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
        }

        if (entry.State == InteractionState.Connected && entry.AgentId is not null)
        {
            Record.LastAgentId = entry.AgentId;
        }

        // Ended entries get their journey sequence and are stored first; the log then receives them (an outbox).
        foreach (var ended in Record.Journey.Where(e => InteractionLifecycle.IsEnded(e.State) && !Record.Logged.ContainsKey(e.InteractionId)).Reverse().ToList())
        {
            Record.Logged[ended.InteractionId] = ++Record.Sequence;
            Outbox.Add(RoutingEvent.ForCustomerJourney(ended.EndedAt ?? _clock.GetUtcNow(), CustomerId, Record.Sequence, ended, JsonSerializer.Serialize(ended, Json)));
        }

        await WriteDurablyAsync(_state);
        await Outbox.FlushAsync();
        if (Trim())
        {
            await WriteDurablyAsync(_state);
        }
    }

    /// <summary>Entries stored but not yet logged before the last deactivation go to the log now.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await Outbox.FlushAsync();

    public async Task<JourneyPage> GetJourney(int pageSize, string? pageToken)
    {
        if (string.IsNullOrEmpty(pageToken) || pageToken.StartsWith(GrainPage, StringComparison.Ordinal))
        {
            var offset = string.IsNullOrEmpty(pageToken) ? 0 : ParseToken(pageToken, GrainPage);
            var page = Record.Journey.Skip(offset).Take(pageSize).ToImmutableArray();
            string? next = null;
            if (offset + page.Length < Record.Journey.Count)
            {
                next = GrainPage + (offset + page.Length).ToString(CultureInfo.InvariantCulture);
            }
            else if (await OlderInLogAsync(LogBoundary()) is { } older)
            {
                next = LogPage + older.ToString(CultureInfo.InvariantCulture);
            }

            return new JourneyPage(View(), page, next);
        }

        // Past the grain's bound: ended entries from the event log, newest first, skipping those the grain still has.
        var before = ParseLongToken(pageToken, LogPage);
        var kept = Record.Journey.Select(e => e.InteractionId).ToHashSet(StringComparer.Ordinal);
        var entries = ImmutableArray.CreateBuilder<JourneyEntryView>(pageSize);
        long? last = null;
        while (entries.Count < pageSize)
        {
            var events = await _eventLog.ReadNewestAsync(RoutingEventSubject.Customer, CustomerId, RoutingEventType.JourneyEntry, before, pageSize - entries.Count);
            if (events.Count == 0)
            {
                break;
            }

            foreach (var e in events)
            {
                before = e.Sequence;
                if (e.InteractionId is not null && !kept.Contains(e.InteractionId) && e.Detail is not null
                    && JsonSerializer.Deserialize<JourneyEntryView>(e.Detail, Json) is { } logged)
                {
                    entries.Add(logged);
                    last = e.Sequence;
                }
            }
        }

        var hasMore = last is { } l && await OlderInLogAsync(l) is not null;
        return new JourneyPage(View(), entries.ToImmutable(), hasMore ? LogPage + last!.Value.ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<ImmutableArray<string>> EraseProfile()
    {
        ImmutableArray<string> interactions = [.. Record.Journey.Select(e => e.InteractionId)];
        // Cleared, not rewritten: the stored row keeps no payload, and journey events not yet logged are dropped with it.
        try
        {
            await _state.ClearStateAsync();
        }
        catch (Exception e) when (e is not RoutingException)
        {
            DeactivateOnIdle();
            throw Unavailable(e);
        }

        _state.State = new CustomerRecord();
        DeactivateOnIdle();
        return interactions;
    }

    public async Task ForgetContext(ImmutableArray<string> interactionIds)
    {
        var forgotten = false;
        for (var i = 0; i < Record.Journey.Count; i++)
        {
            if (!Record.Journey[i].Context.IsEmpty && interactionIds.Contains(Record.Journey[i].InteractionId))
            {
                Record.Journey[i] = Record.Journey[i] with { Context = ImmutableDictionary<string, string>.Empty };
                forgotten = true;
            }
        }

        if (forgotten)
        {
            await WriteDurablyAsync(_state);
        }
    }

    /// <summary>Keeps the newest entries; the oldest go only once the log has them.</summary>
    private bool Trim()
    {
        var excess = Record.Journey.Count - _options.JourneyLimit;
        if (excess <= 0)
        {
            return false;
        }

        var dropped = Record.Journey.GetRange(_options.JourneyLimit, excess)
            .Where(e => Record.Logged.TryGetValue(e.InteractionId, out var sequence) && !Outbox.Holds(sequence))
            .ToList();
        foreach (var entry in dropped)
        {
            Record.Logged.Remove(entry.InteractionId);
            Record.Journey.Remove(entry);
        }

        Record.Trimmed += dropped.Count;
        return dropped.Count > 0;
    }

    /// <summary>Log entries older than everything the grain keeps have a sequence below this.</summary>
    private long LogBoundary() => Record.Logged.Count == 0 ? Record.Sequence + 1 : Record.Logged.Values.Min();

    private async Task<long?> OlderInLogAsync(long before)
    {
        if (!_eventLog.IsDurable || Record.Trimmed == 0)
        {
            return null;
        }

        var older = await _eventLog.ReadNewestAsync(RoutingEventSubject.Customer, CustomerId, RoutingEventType.JourneyEntry, before, 1);
        return older.Count == 0 ? null : before;
    }

    private static int ParseToken(string token, string prefix) => (int)Math.Min(int.MaxValue, ParseLongToken(token, prefix));

    private static long ParseLongToken(string token, string prefix) =>
        token.StartsWith(prefix, StringComparison.Ordinal) && long.TryParse(token.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw RoutingException.Invalid("page_token", "not a token this service issued");

    private CustomerView View() =>
        new(
            CustomerId,
            Record.DisplayName,
            Record.Attributes,
            Record.LastAgentId,
            [.. Record.Journey.Where(e => !InteractionLifecycle.IsEnded(e.State)).Select(e => e.InteractionId)]);
}
