using Microsoft.Extensions.Time.Testing;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Interactions;
using static Omnichannel.Routing.Grains.Tests.Collaborators.InteractionCollaboratorData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class ConsultCoordinatorTests
{
    private readonly FakeTimeProvider _clock = new(At.AddMinutes(10));
    private readonly Dictionary<string, GrainFake<IQueueGrain>> _queues = [];
    private readonly Dictionary<string, GrainFake<IAgentGrain>> _agents = [];

    private ConsultCoordinator Coordinator() => new("i-1", _clock, id => Fake(_queues, id).Grain, id => Fake(_agents, id).Grain);

    private static GrainFake<T> Fake<T>(Dictionary<string, GrainFake<T>> fakes, string id)
        where T : class
    {
        if (!fakes.TryGetValue(id, out var fake))
        {
            fakes[id] = fake = GrainFake.Of<T>();
        }

        return fake;
    }

    private static InteractionSnapshot Consulting(string? agentId = null, string? queueId = null) =>
        Snapshot(InteractionState.Connected, agentId: "ana") with { ConsultAgentId = agentId, ConsultQueueId = queueId };

    [Fact]
    public async Task A_queue_consult_waits_from_when_it_was_asked_and_is_never_offered_to_the_agent_it_leaves()
    {
        var asked = new InteractionEventRecord(7, At.AddMinutes(3), RoutingEventType.ConsultQueued, InteractionState.Connected, InteractionState.Connected, "sales", "ana", Actor.Agent("ana"), null);
        var interaction = Consulting(queueId: "billing") with { History = [asked] };

        await Coordinator().WaitInQueueAsync(interaction, "billing", TimeSpan.Zero);

        var entry = (QueueEntry)Fake(_queues, "billing").CallsTo(nameof(IQueueGrain.Enqueue)).Single()[0]!;
        Assert.Equal(At.AddMinutes(3), entry.Arrival);
        Assert.Equal(["bob", "ana"], entry.ExcludedAgents.ToArray());
        Assert.Null(entry.PreferredAgentId);
        Assert.True(entry.Admitted);
    }

    [Fact]
    public async Task A_queue_consult_whose_request_left_the_bounded_history_waits_from_now()
    {
        await Coordinator().WaitInQueueAsync(Consulting(queueId: "billing"), "billing", TimeSpan.Zero);

        Assert.Equal(_clock.GetUtcNow(), ((QueueEntry)Fake(_queues, "billing").Calls.Single().Args[0]!).Arrival);
    }

    [Fact]
    public async Task Calling_off_a_consult_withdraws_it_from_the_consulted_agent_and_the_consult_queue()
    {
        await Coordinator().CallOffAsync(Consulting(agentId: "bob", queueId: "billing"));

        Assert.Equal(["i-1", "cancelled"], Fake(_agents, "bob").CallsTo(nameof(IAgentGrain.Withdraw)).Single());
        Assert.Equal(["i-1"], Fake(_queues, "billing").CallsTo(nameof(IQueueGrain.Remove)).Single());
        Assert.False(_agents.ContainsKey("ana"));
    }

    [Fact]
    public void Handing_over_releases_the_first_agent()
    {
        Coordinator().HandOver("ana");

        Assert.Equal(["i-1", "transferred"], Fake(_agents, "ana").CallsTo(nameof(IAgentGrain.Withdraw)).Single());
    }

    [Fact]
    public async Task Resuming_asks_the_consulted_agent_or_else_the_consult_queue_never_both()
    {
        await Coordinator().ResumeAsync(Consulting(agentId: "bob", queueId: "billing"), TimeSpan.Zero);
        Assert.Single(Fake(_agents, "bob").CallsTo(nameof(IAgentGrain.Reconcile)));
        Assert.False(_queues.ContainsKey("billing"));

        await Coordinator().ResumeAsync(Consulting(queueId: "billing"), TimeSpan.Zero);
        Assert.Single(Fake(_queues, "billing").CallsTo(nameof(IQueueGrain.Enqueue)));
    }
}
