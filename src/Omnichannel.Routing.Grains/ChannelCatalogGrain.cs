using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains;

/// <summary>The persisted state of the <see cref="ChannelCatalogGrain"/>.</summary>
[GenerateSerializer]
public sealed class ChannelCatalogRecord
{
    [Id(0)]
    public Dictionary<string, ChannelConfig> Channels { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public bool Seeded { get; set; }

    /// <summary>Grows with every change; the sequence of the catalog's events in the log.</summary>
    [Id(2)]
    public long Version { get; set; }
}

/// <summary>The installation's channels. Built-in channels are there from the first activation.</summary>
public sealed class ChannelCatalogGrain : RoutingGrain, IChannelCatalogGrain
{
    public const string Key = "default";

    private readonly IPersistentState<ChannelCatalogRecord> _state;
    private readonly IRoutingEventLog _eventLog;
    private readonly TimeProvider _clock;
    private ImmutableDictionary<string, ChannelConfig>? _view;

    public ChannelCatalogGrain(
        [PersistentState("channels", RoutingOptions.StorageName)] IPersistentState<ChannelCatalogRecord> state,
        IRoutingEventLog eventLog,
        [FromKeyedServices(RoutingOptions.ClockKey)] TimeProvider clock)
    {
        _state = state;
        _eventLog = eventLog;
        _clock = clock;
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
    }

    public async Task<ChannelConfig> Upsert(ChannelConfig channel, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _state.State.Channels[channel.Name] = channel;
        _state.State.Version++;
        _view = null;
        await WriteDurablyAsync(_state);
        await AppendDurablyAsync(_eventLog, [RoutingEvent.ForConfiguration(_clock.GetUtcNow(), "channels", _state.State.Version, RoutingEventType.ChannelUpserted, actor, $"{channel.Name}: auto_accept={channel.AutoAccept}; wrap_up={channel.WrapUp}")]);
        return channel;
    }

    public Task<ImmutableDictionary<string, ChannelConfig>> GetAll() =>
        Task.FromResult(_view ??= _state.State.Channels.ToImmutableDictionary(StringComparer.Ordinal));
}
