using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Orleans.Serialization;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

/// <summary>Core's work item is stored and sent as it is, through its surrogate, with no copy type beside it.</summary>
public sealed class WorkItemSerializationTests
{
    private static readonly WorkItem Wrapping = new("v1", "voice", "sales", WorkPhase.WrapUp, At(240), At(270), TimeSpan.FromSeconds(30), At(60));

    private static Serializer Serializer()
    {
        var services = new ServiceCollection();
        services.AddSerializer(builder =>
        {
            builder.AddAssembly(typeof(AgentRecord).Assembly);
            builder.AddAssembly(typeof(WorkItemSurrogate).Assembly);
        });
        return services.BuildServiceProvider().GetRequiredService<Serializer>();
    }

    [Fact]
    public void The_stored_agent_record_keeps_every_field_of_its_held_work()
    {
        var serializer = Serializer();
        var record = SignedInAvailable("sales");
        record.Work = [Wrapping, new WorkItem("c1", "chat", "sales", WorkPhase.Offered, At(1), At(16))];

        var restored = serializer.Deserialize<AgentRecord>(serializer.SerializeToArray(record));

        Assert.NotNull(restored);
        Assert.Equal(record.Work, restored.Work);
        Assert.Equal(record.Version, restored.Version);
    }

    [Fact]
    public void The_status_view_carries_the_work_items_themselves()
    {
        var serializer = Serializer();
        var status = new AgentStatusView("a1", true, Presence.Available, AgentActivity.WrapUp, [], 100, 100, [Wrapping], T0, T0);

        var sent = serializer.Deserialize<AgentStatusView>(serializer.SerializeToArray(status));

        Assert.NotNull(sent);
        Assert.Equal(Wrapping, Assert.Single(sent.Work));
    }
}
