using System.Collections.Immutable;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// Who watches which live-feed streams, cluster-wide (one grain, key <see cref="Key"/>, held in memory only).
/// Grains publish occupancy and queue statistics only to streams someone watches; each silo listens here for the
/// set, and a watcher registers before it reads, so the silos know of it before its first figures are sent.
/// </summary>
public interface ILiveFeedAudienceGrain : IGrainWithStringKey
{
    /// <summary>The one audience's key.</summary>
    const string Key = "live";

    /// <summary>A silo listens for the watched streams (renewed on a period, or dropped); answers the set now.</summary>
    Task<ImmutableHashSet<StreamId>> Listen(ILiveFeedListener listener);

    /// <summary>
    /// A watcher of <paramref name="streams"/> starts or renews its watch (it lapses if not renewed). Answers once every
    /// listening silo has been told of a stream that nobody watched before.
    /// </summary>
    Task Watch(string watchId, ImmutableArray<StreamId> streams);

    /// <summary>A watcher went away.</summary>
    Task Unwatch(string watchId);
}

/// <summary>A silo's listener for the set of watched live-feed streams.</summary>
public interface ILiveFeedListener : IGrainObserver
{
    Task OnWatched(ImmutableHashSet<StreamId> streams);
}
