using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>Live feeds owned by a grain.</summary>
internal static class GrainFeeds
{
    /// <summary>
    /// A <see cref="Grains.ThrottledFeed"/> whose end-of-interval flushes run on one grain timer of
    /// <paramref name="grain"/>, not interleaved with its calls, so a flush reads the grain's state in a turn of its own.
    /// </summary>
    public static ThrottledFeed ThrottledFeed(this Grain grain, TimeSpan interval, Action publish)
    {
        ArgumentNullException.ThrowIfNull(grain);
        IGrainTimer? timer = null;
        ThrottledFeed? feed = null;
        feed = new ThrottledFeed(interval, publish, delay =>
        {
            timer ??= grain.RegisterGrainTimer(
                _ =>
                {
                    feed?.Flush();
                    return Task.CompletedTask;
                },
                new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { Interleave = false });
            timer.Change(delay, Timeout.InfiniteTimeSpan);
        });
        return feed;
    }

    /// <summary>
    /// A throttled live feed of <paramref name="grain"/> on <paramref name="stream"/> that reads and sends the figures
    /// only while someone watches the stream (<see cref="LiveFeedAudience"/>): what nobody watched was 6% of the
    /// host's CPU under load.
    /// </summary>
    public static ThrottledFeed LiveFeed<T>(this Grain grain, TimeSpan interval, StreamId stream, Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(grain);
        var audience = grain.GrainContext.ActivationServices.GetRequiredService<LiveFeedAudience>();
        return grain.ThrottledFeed(interval, () =>
        {
            if (audience.IsWatched(stream))
            {
                grain.GetStreamProvider(LiveFeeds.Provider).GetStream<T>(stream).OnNextAsync(read()).Ignore();
            }
        });
    }
}
