namespace Omnichannel.Routing.Api.Tests;

public sealed class LatestValueBufferTests
{
    [Fact]
    public void A_reader_that_keeps_up_sees_every_value_in_arrival_order()
    {
        var buffer = new LatestValueBuffer<string, int>();
        buffer.Post("a", 1);
        buffer.Post("b", 2);

        Assert.Equal([1, 2], Drain(buffer));
    }

    [Fact]
    public void A_newer_value_replaces_the_waiting_one_of_its_key_and_keeps_its_place()
    {
        var buffer = new LatestValueBuffer<string, int>();
        buffer.Post("a", 1);
        buffer.Post("b", 2);
        buffer.Post("a", 3);

        Assert.Equal(2, buffer.Count);
        Assert.Equal([3, 2], Drain(buffer));
    }

    [Fact]
    public void A_value_older_than_the_newest_posted_for_its_key_is_dropped()
    {
        var buffer = new LatestValueBuffer<string, int>();
        buffer.Post("a", 5, order: 5);
        Assert.Equal([5], Drain(buffer));

        buffer.Post("a", 4, order: 4);
        buffer.Post("a", 5, order: 5);

        Assert.Empty(Drain(buffer));
    }

    [Fact]
    public async Task A_waiting_reader_wakes_when_a_value_is_posted()
    {
        var buffer = new LatestValueBuffer<string, int>();
        var waiting = buffer.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        buffer.Post("a", 1);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1], Drain(buffer));
    }

    private static List<int> Drain(LatestValueBuffer<string, int> buffer)
    {
        var values = new List<int>();
        while (buffer.TryTake(out var value))
        {
            values.Add(value);
        }

        return values;
    }
}
