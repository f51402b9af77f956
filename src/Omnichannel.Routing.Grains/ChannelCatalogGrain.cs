using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>The persisted state of the <see cref="ChannelCatalogGrain"/>.</summary>
[GenerateSerializer]
public sealed class ChannelCatalogRecord : IHoldsUnloggedEvents
{
    [Id(0)]
    public Dictionary<string, ChannelConfig> Channels { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public bool Seeded { get; set; }

    /// <summary>Grows with every change; the sequence of the catalog's events in the log.</summary>
    [Id(2)]
    public long Version { get; set; }

    /// <summary>Recorded events stored with this state that the event log may not have yet (see <see cref="EventOutbox"/>).</summary>
    [Id(3)]
    public List<RoutingEvent> UnloggedEvents { get; set; } = [];

    IReadOnlyList<RoutingEvent> IHoldsUnloggedEvents.UnloggedEvents => UnloggedEvents;
}

/// <summary>The installation's channels. Built-in channels are there from the first activation.</summary>
public sealed class ChannelCatalogGrain : RoutingGrain, IChannelCatalogGrain
{
    public const string Key = "default";

    private readonly IPersistentState<ChannelCatalogRecord> _state;
    private readonly TimeProvider _clock;
    private readonly EventOutbox _outbox;
    private ImmutableDictionary<string, ChannelConfig>? _view;

    public ChannelCatalogGrain(
        [PersistentState("channels", RoutingOptions.StorageName)] IPersistentState<ChannelCatalogRecord> state,
        IRoutingEventLog eventLog,
        [FromKeyedServices(RoutingOptions.ClockKey)] TimeProvider clock,
        ILogger<ChannelCatalogGrain> logger)
    {
        _state = state;
        _clock = clock;
        _outbox = new EventOutbox(eventLog, () => _state.State.UnloggedEvents, logger, "Channel catalog");
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!_state.State.Seeded)
        {
            foreach (var channel in BuiltInChannels.All)
            {
                _state.State.Channels.TryAdd(channel.Name, channel);
            }

            _state.State.Seeded = true;
            await _state.WriteStateAsync(cancellationToken);
        }

        await _outbox.FlushAsync();
    }

    public async Task<ChannelConfig> Upsert(ChannelConfig channel, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _state.State.Channels[channel.Name] = channel;
        _state.State.Version++;
        _view = null;
        _outbox.Add(RoutingEvent.ForConfiguration(_clock.GetUtcNow(), "channels", _state.State.Version, RoutingEventType.ChannelUpserted, actor, $"{channel.Name}: auto_accept={channel.AutoAccept}; wrap_up={channel.WrapUp}"));
        await WriteDurablyAsync(_state);
        await _outbox.FlushAsync();
        return channel;
    }

    public Task<ImmutableDictionary<string, ChannelConfig>> GetAll() =>
        Task.FromResult(_view ??= _state.State.Channels.ToImmutableDictionary(StringComparer.Ordinal));
}
