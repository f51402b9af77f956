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
}
