namespace Omnichannel.Routing.Api.Tests;

public sealed class ObserverFeedTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Items_are_written_in_order_until_the_writer_says_the_stream_is_done()
    {
        var feed = new ObserverFeed<int>();
        var written = new List<int>();
        feed.Writer.TryWrite(1);
        feed.Writer.TryWrite(2);
        feed.Writer.TryWrite(3);

        await feed.PumpAsync(i =>
        {
            written.Add(i);
            return Task.FromResult(i < 2);
        }, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal([1, 2], written);
    }

    [Fact]
    public async Task The_pump_ends_when_the_feed_completes()
    {
        var feed = new ObserverFeed<int>();
        feed.Writer.TryWrite(1);
        feed.Writer.Complete();
        var written = new List<int>();

        await feed.PumpAsync(i =>
        {
            written.Add(i);
            return Task.FromResult(true);
        }, CancellationToken.None).WaitAsync(Wait);

        Assert.Equal([1], written);
    }

    [Fact]
    public async Task The_pump_ends_when_the_caller_goes_away()
    {
        var feed = new ObserverFeed<int>();
        var wrote = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var caller = new CancellationTokenSource();

        var pump = feed.PumpAsync(_ =>
        {
            wrote.TrySetResult();
            return Task.FromResult(true);
        }, caller.Token);
        feed.Writer.TryWrite(1);
        await wrote.Task.WaitAsync(Wait);
        await caller.CancelAsync();

        // Cancelled mid-wait it throws, between waits it returns: either way it ends (the services catch both).
        var ended = await Record.ExceptionAsync(() => pump.WaitAsync(Wait));
        Assert.True(ended is null or OperationCanceledException, $"the pump did not end cleanly: {ended}");
    }

    [Fact]
    public async Task A_failed_feed_writes_what_came_before_then_ends_the_stream_with_the_failure()
    {
        var feed = new ObserverFeed<int>();
        var written = new List<int>();
        feed.Writer.TryWrite(1);
        feed.Fail(new InvalidOperationException("renewal failed"));

        var ended = await Assert.ThrowsAsync<InvalidOperationException>(() => feed.PumpAsync(i =>
        {
            written.Add(i);
            return Task.FromResult(true);
        }, CancellationToken.None).WaitAsync(Wait));

        Assert.Equal([1], written);
        Assert.Equal("renewal failed", ended.Message);
    }
}
