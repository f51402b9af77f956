using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

public class AgentLoadTests
{
    [Fact]
    public void Add_and_Remove_count_per_channel()
    {
        var load = AgentLoad.Empty.Add("chat").Add("chat").Add("email");

        Assert.Equal(2, load["chat"]);
        Assert.Equal(1, load["email"]);
        Assert.Equal(0, load["voice"]);
        Assert.Equal(3, load.Total);
        Assert.Equal(Load(("chat", 1), ("email", 1)), load.Remove("chat"));
    }

    [Fact]
    public void Removing_the_last_interaction_of_a_channel_leaves_no_trace_of_it()
    {
        var load = AgentLoad.Empty.Add("chat").Remove("chat");

        Assert.Equal(AgentLoad.Empty, load);
        Assert.False(load.HasOtherThan("voice"));
        Assert.Equal("idle", load.ToString());
    }

    [Fact]
    public void Load_never_goes_negative()
    {
        Assert.Throws<InvalidOperationException>(() => AgentLoad.Empty.Remove("chat"));
    }

    [Fact]
    public void HasOtherThan_sees_work_on_any_other_channel()
    {
        var load = Load(("chat", 1));

        Assert.False(load.HasOtherThan("chat"));
        Assert.True(load.HasOtherThan("voice"));
    }

    [Fact]
    public void From_merges_repeated_channels_and_drops_empty_counts()
    {
        var load = AgentLoad.From([new("chat", 1), new("email", 0), new("chat", 2)]);

        Assert.Equal(Load(("chat", 3)), load);
        Assert.Single(load);
    }

    [Fact]
    public void Loads_built_in_any_order_are_equal()
    {
        var a = AgentLoad.Empty.Add("email").Add("chat");
        var b = AgentLoad.Empty.Add("chat").Add("email");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
