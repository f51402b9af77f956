namespace Omnichannel.Routing.Api;

/// <summary>
/// A grain observer referenced for as long as one gRPC stream is open. Disposing it detaches the observer from its
/// grain and frees the reference, whether the stream ended, failed or was cancelled.
/// </summary>
/// <typeparam name="TObserver">The observer interface the grain calls.</typeparam>
internal sealed class ObserverRegistration<TObserver> : IAsyncDisposable
    where TObserver : class, IGrainObserver
{
    private readonly IGrainFactory _grains;
    private readonly TObserver _observer;
    private readonly Func<TObserver, Task> _detach;

    public ObserverRegistration(IGrainFactory grains, TObserver observer, Func<TObserver, Task> detach)
    {
        _grains = grains;
        _observer = observer;
        _detach = detach;
        Reference = grains.CreateObjectReference<TObserver>(observer);
    }

    /// <summary>What to hand to the grain.</summary>
    public TObserver Reference { get; }

    public async ValueTask DisposeAsync()
    {
        await _detach(Reference);
        _grains.DeleteObjectReference<TObserver>(Reference);

        // Orleans holds an observer weakly: without this, a Release build may collect it mid-stream and silently drop
        // what is sent to it.
        GC.KeepAlive(_observer);
    }
}
