using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// Who watches which live-feed streams, in memory: after a failure the silos' listeners and the watchers renew within
/// <see cref="ListenerLease"/> and <see cref="WatchLease"/>, and until then the silos keep the set they last heard.
/// </summary>
public sealed partial class LiveFeedAudienceGrain(ILogger<LiveFeedAudienceGrain> logger) : Grain, ILiveFeedAudienceGrain
{
    private readonly ILogger _logger = logger;

    /// <summary>A silo's listener not renewed within this is dropped (silos renew every third of it).</summary>
    public static readonly TimeSpan ListenerLease = TimeSpan.FromSeconds(30);

    /// <summary>A watch not renewed within this lapses (watchers renew every quarter of it).</summary>
    public static readonly TimeSpan WatchLease = TimeSpan.FromMinutes(2);

    // A silo that died mid-call must not hold up a watcher's start.
    private static readonly TimeSpan NotifyTimeout = TimeSpan.FromSeconds(3);

    private readonly Dictionary<ILiveFeedListener, DateTimeOffset> _listeners = [];
    private readonly Dictionary<string, (ImmutableArray<StreamId> Streams, DateTimeOffset Until)> _watches = new(StringComparer.Ordinal);
    private ImmutableHashSet<StreamId> _watched = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(ListenerLease / 3, ListenerLease / 3) { KeepAlive = true, Interleave = false });
        return Task.CompletedTask;
    }

    public Task<ImmutableHashSet<StreamId>> Listen(ILiveFeedListener listener)
    {
        _listeners[listener] = DateTimeOffset.UtcNow + ListenerLease;
        return Task.FromResult(_watched);
    }

    public async Task Watch(string watchId, ImmutableArray<StreamId> streams)
    {
        _watches[watchId] = (streams, DateTimeOffset.UtcNow + WatchLease);
        if (!streams.All(_watched.Contains))
        {
            await PublishAsync();
        }
    }

    public async Task Unwatch(string watchId)
    {
        if (_watches.Remove(watchId))
        {
            await PublishAsync();
        }
    }

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (listener, until) in _listeners.Where(l => l.Value <= now).ToList())
        {
            _listeners.Remove(listener);
        }

        var lapsed = _watches.Where(w => w.Value.Until <= now).Select(w => w.Key).ToList();
        lapsed.ForEach(id => _watches.Remove(id));
        if (lapsed.Count > 0)
        {
            await PublishAsync();
        }
    }

    /// <summary>Works out the watched set and, if it changed, tells every listening silo and waits for them.</summary>
    private async Task PublishAsync()
    {
        var watched = _watches.Values.SelectMany(w => w.Streams).ToImmutableHashSet();
        if (watched.SetEquals(_watched))
        {
            return;
        }

        _watched = watched;
        await Task.WhenAll(_listeners.Keys.ToList().Select(TellAsync));

        async Task TellAsync(ILiveFeedListener listener)
        {
            try
            {
                await listener.OnWatched(watched).WaitAsync(NotifyTimeout);
            }
#pragma warning disable CA1031 // A silo that cannot be told is dropped; it listens again if it is alive.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _listeners.Remove(listener);
                LogListenerDropped(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A silo's live-feed listener could not be told who watches; it is dropped until it listens again")]
    private partial void LogListenerDropped(Exception ex);
}
