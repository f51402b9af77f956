namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class RestingRecordsTests
{
    private readonly RestingRecords<string, int> _records = new(kept: 3);

    [Fact]
    public void Beyond_the_bound_the_record_at_rest_longest_is_answered_as_last_written()
    {
        Assert.Null(_records.Rest("a", 1));
        Assert.Null(_records.Rest("b", 1));
        Assert.Null(_records.Rest("c", 1));
        Assert.Null(_records.Rest("a", 2));

        Assert.Equal(KeyValuePair.Create("a", 2), _records.Rest("d", 1));
        Assert.Equal(KeyValuePair.Create("b", 1), _records.Rest("e", 1));
        Assert.Equal(3, _records.Count);
    }

    [Fact]
    public void A_record_that_left_is_never_answered_however_many_come_to_rest()
    {
        _records.Rest("open", 1);
        _records.Leave("open");

        var answered = Enumerable.Range(0, 50).Select(i => _records.Rest($"r{i}", i)).OfType<KeyValuePair<string, int>>().ToList();

        Assert.DoesNotContain(answered, r => r.Key == "open");
        Assert.Equal(47, answered.Count);
        Assert.Equal(3, _records.Count);
    }

    [Fact]
    public void A_record_that_left_and_came_to_rest_again_is_the_newest()
    {
        _records.Rest("a", 1);
        _records.Rest("b", 1);
        _records.Leave("a");
        _records.Rest("c", 1);
        _records.Rest("a", 2);

        Assert.Equal(KeyValuePair.Create("b", 1), _records.Rest("d", 1));
        Assert.Equal(KeyValuePair.Create("c", 1), _records.Rest("e", 1));
        Assert.Equal(KeyValuePair.Create("a", 2), _records.Rest("f", 1));
    }

    [Fact]
    public void Places_left_behind_by_records_that_keep_waking_are_swept_so_the_line_stays_bounded()
    {
        for (var i = 0; i < 10_000; i++)
        {
            _records.Rest("busy", i);
            _records.Leave("busy");
        }

        _records.Rest("busy", 0);

        Assert.Equal(1, _records.Count);
        Assert.InRange(_records.Places, 1, 100);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void The_bound_must_be_more_than_zero(int kept) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestingRecords<string, int>(kept));
}
