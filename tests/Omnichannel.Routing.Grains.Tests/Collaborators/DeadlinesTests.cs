using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class DeadlinesTests
{
    [Fact]
    public void The_earliest_deadline_wins_whatever_part_waits_for_it()
    {
        Assert.Equal(At(5), Deadlines.Earliest(At(30), null, At(5), At(10)));
        Assert.Equal(At(5), Deadlines.Earliest(null, At(5)));
    }

    [Fact]
    public void Nothing_is_due_when_no_part_waits()
    {
        Assert.Null(Deadlines.Earliest(null, null, null));
        Assert.Null(Deadlines.Earliest());
    }
}
