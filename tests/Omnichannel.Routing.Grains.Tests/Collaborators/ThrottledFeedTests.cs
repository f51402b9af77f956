namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class ThrottledFeedTests
{
    private long _now = 1_000;
    private readonly List<TimeSpan> _flushes = [];
    private int _published;

    private ThrottledFeed Feed() =>
        new(TimeSpan.FromMilliseconds(100), () => _published++, delay => _flushes.Add(delay), () => _now);

    [Fact]
    public void The_first_change_is_published_at_once()
    {
        var feed = Feed();

        feed.Changed();

        Assert.Equal(1, _published);
        Assert.Empty(_flushes);
        Assert.False(feed.Pending);
    }

    [Fact]
    public void Changes_inside_the_interval_are_published_once_at_its_end()
    {
        var feed = Feed();
        feed.Changed();

        _now += 30;
        feed.Changed();
        _now += 10;
        feed.Changed();

        Assert.Equal(1, _published);
        Assert.Equal([TimeSpan.FromMilliseconds(70)], _flushes);
        Assert.True(feed.Pending);

        _now += 60;
        feed.Flush();

        Assert.Equal(2, _published);
        Assert.False(feed.Pending);
    }

    [Fact]
    public void A_flush_with_nothing_pending_publishes_nothing()
    {
        var feed = Feed();
        feed.Changed();

        feed.Flush();

        Assert.Equal(1, _published);
    }

    [Fact]
    public void A_change_after_the_interval_is_published_at_once()
    {
        var feed = Feed();
        feed.Changed();

        _now += 100;
        feed.Changed();

        Assert.Equal(2, _published);
        Assert.Empty(_flushes);
    }
}
