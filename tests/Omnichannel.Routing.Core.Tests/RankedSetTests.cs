using CsCheck;

namespace Omnichannel.Routing.Core.Tests;

public class RankedSetTests
{
    private static readonly IComparer<int> Ascending = Comparer<int>.Default;

    [Fact]
    public void Empty_set_has_no_items_and_a_default_minimum()
    {
        var set = new RankedSet<int>(Ascending);

        Assert.Empty(set);
        Assert.Equal(0, set.Min);
        Assert.Equal(0, set.CountLessThan(100));
        Assert.False(set.Remove(1));
    }

    [Fact]
    public void Items_enumerate_in_comparer_order_and_duplicates_are_refused()
    {
        var set = new RankedSet<int>(Ascending);
        foreach (var i in new[] { 5, 1, 9, 3, 7 })
        {
            Assert.True(set.Add(i));
        }

        Assert.False(set.Add(3));
        Assert.Equal([1, 3, 5, 7, 9], set);
        Assert.Equal(1, set.Min);
    }

    [Fact]
    public void CountLessThan_is_the_rank_of_any_probe_present_or_not()
    {
        var set = new RankedSet<int>(Ascending);
        foreach (var i in new[] { 10, 20, 30 })
        {
            set.Add(i);
        }

        Assert.Equal(0, set.CountLessThan(10));
        Assert.Equal(1, set.CountLessThan(15));
        Assert.Equal(2, set.CountLessThan(30));
        Assert.Equal(3, set.CountLessThan(31));
    }

    [Fact]
    public void Order_comes_from_the_comparer()
    {
        var set = new RankedSet<int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        foreach (var i in new[] { 2, 8, 5 })
        {
            set.Add(i);
        }

        Assert.Equal([8, 5, 2], set);
        Assert.Equal(8, set.Min);
        Assert.Equal(1, set.CountLessThan(7));
    }

    [Fact]
    public void Random_adds_and_removes_match_a_sorted_set_model()
    {
        var op = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 60], Gen.Int[-5, 65]);
        op.Array[0, 300].Sample(ops =>
        {
            var set = new RankedSet<int>(Ascending);
            var model = new SortedSet<int>();
            foreach (var (kind, value, probe) in ops)
            {
                if (kind < 3)
                {
                    // Adds outnumber removes so sets grow large enough to have depth.
                    Assert.Equal(model.Add(value), set.Add(value));
                }
                else
                {
                    Assert.Equal(model.Remove(value), set.Remove(value));
                }

                Assert.Equal(model.Count, set.Count);
                Assert.Equal(model.Contains(value), set.Contains(value));
                Assert.Equal(model.Contains(probe), set.Contains(probe));
                Assert.Equal(model.Count(m => m < probe), set.CountLessThan(probe));
                Assert.Equal(model.Count == 0 ? 0 : model.Min, set.Min);
            }

            Assert.Equal(model, set);
        }, iter: 2_000);
    }
}
