using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Interactions;
using Orleans.Utilities;
using static Omnichannel.Routing.Grains.Tests.Collaborators.InteractionCollaboratorData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class ConsultCoordinatorTests
{
    private readonly FakeTimeProvider _clock = new(At.AddMinutes(10));
    private readonly Dictionary<string, GrainFake<IQueueGrain>> _queues = [];
    private readonly Dictionary<string, GrainFake<IAgentGrain>> _agents = [];
    private readonly GrainFake<ICustomerGrain> _customer = GrainFake.Of<ICustomerGrain>();
    private readonly InteractionRecord _record = new();

    private ConsultCoordinator Coordinator(InteractionSnapshot current)
    {
        _record.Current = current;
        var outbox = new EventOutbox(GrainFake.Of<IRoutingEventLog>().Grain, () => _record.UnloggedEvents, NullLogger.Instance, "Interaction i-1");
        var watchers = new ObserverManager<IInteractionObserver>(TimeSpan.FromMinutes(5), NullLogger.Instance);
        var recorder = new InteractionRecorder(() => _record, () => Task.CompletedTask, outbox, watchers, _clock, 50, _ => { });
        return new ConsultCoordinator(
            "i-1", _clock, Queue, Agent, recorder, new OverflowAdmission(Queue, 3), new InteractionProgressReporter("i-1", _clock, Queue, _ => _customer.Grain));
    }

    private IQueueGrain Queue(string id) => Fake(_queues, id).Grain;

    private IAgentGrain Agent(string id) => Fake(_agents, id).Grain;

    private static GrainFake<T> Fake<T>(Dictionary<string, GrainFake<T>> fakes, string id)
        where T : class
    {
        if (!fakes.TryGetValue(id, out var fake))
        {
            fakes[id] = fake = GrainFake.Of<T>();
            if (fake is GrainFake<IQueueGrain> queue)
            {
                queue.Answers[nameof(IQueueGrain.CheckAdmission)] = _ => Task.FromResult(new EnqueueResult(EnqueueOutcome.Queued, 1, null, null, null));
                queue.Answers[nameof(IQueueGrain.Enqueue)] = _ => Task.FromResult(new EnqueueResult(EnqueueOutcome.Queued, 1, TimeSpan.FromSeconds(20), null, null));
            }
        }

        return fake;
    }

    private static InteractionSnapshot Consulting(string? agentId = null, string? queueId = null) =>
        Snapshot(InteractionState.Connected, agentId: "ana") with { ConsultAgentId = agentId, ConsultQueueId = queueId };

    private QueueEntry Enqueued(string queueId) => (QueueEntry)Fake(_queues, queueId).CallsTo(nameof(IQueueGrain.Enqueue)).Single()[0]!;

    [Fact]
    public async Task A_queue_consult_waits_from_when_it_was_asked_and_is_never_offered_to_the_agent_it_leaves()
    {
        var waiting = await Coordinator(Consulting()).ToQueueAsync("billing", [], null, Actor.Agent("ana"));

        var entry = Enqueued("billing");
        Assert.Equal(_clock.GetUtcNow(), entry.Arrival);
        Assert.Equal(["bob", "ana"], entry.ExcludedAgents.ToArray());
        Assert.Null(entry.PreferredAgentId);
        Assert.Equal(("ana", InteractionState.Connected, "billing"), (waiting.AgentId, waiting.State, waiting.ConsultQueueId));
        Assert.Equal(RoutingEventType.ConsultQueued, _record.Current!.History[^1].Type);
    }

    [Fact]
    public async Task A_queue_consult_whose_request_left_the_bounded_history_waits_from_now()
    {
        await Coordinator(Consulting(queueId: "billing")).ResumeAsync(Consulting(queueId: "billing"));

        Assert.Equal(_clock.GetUtcNow(), Enqueued("billing").Arrival);
    }

    [Fact]
    public async Task A_consulted_agent_who_accepts_takes_over_and_the_first_agent_is_released()
    {
        var taken = await Coordinator(Consulting(agentId: "bob")).CompleteAsync("bob", Actor.Agent("bob"));

        Assert.Equal("bob", taken.AgentId);
        Assert.Equal(["i-1", "transferred"], Fake(_agents, "ana").CallsTo(nameof(IAgentGrain.Withdraw)).Single());
        Assert.Equal("bob", ((JourneyEntryView)_customer.Calls.Single().Args[0]!).AgentId);
    }

    [Fact]
    public async Task A_rejected_queue_consult_stays_with_the_first_agent_and_looks_again_without_the_agent_who_refused()
    {
        var kept = await Coordinator(Consulting(agentId: "bob", queueId: "billing")).DeclineAsync("bob", ReturnReason.Rejected, null);

        Assert.Equal("ana", kept.AgentId);
        Assert.Null(kept.ConsultAgentId);
        Assert.Contains("bob", Enqueued("billing").ExcludedAgents);
        Assert.Equal(ActorKind.Agent, kept.History[^1].Actor.Kind);
    }

    [Fact]
    public async Task Calling_off_a_consult_withdraws_it_from_the_consulted_agent_and_the_consult_queue()
    {
        await Coordinator(Consulting()).CallOffAsync(Consulting(agentId: "bob", queueId: "billing"));

        Assert.Equal(["i-1", "cancelled"], Fake(_agents, "bob").CallsTo(nameof(IAgentGrain.Withdraw)).Single());
        Assert.Equal(["i-1"], Fake(_queues, "billing").CallsTo(nameof(IQueueGrain.Remove)).Single());
        Assert.False(_agents.ContainsKey("ana"));
    }

    [Fact]
    public async Task Resuming_asks_the_consulted_agent_or_else_the_consult_queue_never_both()
    {
        await Coordinator(Consulting()).ResumeAsync(Consulting(agentId: "bob", queueId: "billing"));
        Assert.Single(Fake(_agents, "bob").CallsTo(nameof(IAgentGrain.Reconcile)));
        Assert.False(_queues.ContainsKey("billing"));

        await Coordinator(Consulting()).ResumeAsync(Consulting(queueId: "billing"));
        Assert.Single(Fake(_queues, "billing").CallsTo(nameof(IQueueGrain.Enqueue)));
    }
}
