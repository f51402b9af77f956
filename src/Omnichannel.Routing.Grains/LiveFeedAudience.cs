using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// This silo's copy of which live-feed streams someone watches, kept by listening to the cluster's
/// <see cref="ILiveFeedAudienceGrain"/>. Publishing occupancy and queue statistics that nobody watches was 6% of the
/// host's CPU under load; an agent or queue now asks here first (a set lookup). Until the silo has heard the set,
/// and whenever it cannot, every stream counts as watched: a figure too many costs a little, one missing misleads.
/// </summary>
public sealed partial class LiveFeedAudience : ILiveFeedListener, IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly ILogger<LiveFeedAudience> _logger;
    private readonly ITimer _renewal;
    private ILiveFeedListener? _reference;
    private volatile ImmutableHashSet<StreamId>? _watched;

    public LiveFeedAudience(IGrainFactory grains, ILogger<LiveFeedAudience> logger)
    {
        _grains = grains;
        _logger = logger;

        // Often first asked for by a grain: the listener's reference can only be made outside a grain's context, so
        // the timer does not carry the caller's context and makes it on its first tick.
        using (ExecutionContext.SuppressFlow())
        {
            _renewal = TimeProvider.System.CreateTimer(_ => ListenAsync().Ignore(), null, TimeSpan.Zero, LiveFeedAudienceGrain.ListenerLease / 3);
        }
    }

    /// <summary>True while someone watches <paramref name="stream"/>, or while this silo does not know.</summary>
    public bool IsWatched(StreamId stream) => _watched?.Contains(stream) ?? true;

    public Task OnWatched(ImmutableHashSet<StreamId> streams)
    {
        _watched = streams;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _renewal.Dispose();
        if (_reference is not null)
        {
            _grains.DeleteObjectReference<ILiveFeedListener>(_reference);
        }
    }

    private async Task ListenAsync()
    {
        try
        {
            lock (_renewal)
            {
                _reference ??= _grains.CreateObjectReference<ILiveFeedListener>(this);
            }

            _watched = await _grains.GetGrain<ILiveFeedAudienceGrain>(ILiveFeedAudienceGrain.Key).Listen(_reference);
        }
#pragma warning disable CA1031 // Not knowing, the silo publishes everything until the next renewal gets through.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _watched = null;
            LogNotHeard(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not learn who watches the live feeds; publishing every change until the next try")]
    private partial void LogNotHeard(Exception ex);
}
