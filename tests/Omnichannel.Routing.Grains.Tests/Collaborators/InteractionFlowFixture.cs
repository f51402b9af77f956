using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Interactions;
using Orleans.Utilities;
using static Omnichannel.Routing.Grains.Tests.Collaborators.InteractionCollaboratorData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

/// <summary>
/// The pieces an interaction's collaborators work with, without a silo: a stored record, a recorder over it, and
/// fakes for every queue, agent and customer, answering admission and enqueue as an open queue would.
/// </summary>
internal sealed class InteractionFlowFixture
{
    private readonly Dictionary<string, GrainFake<IQueueGrain>> _queues = [];
    private readonly Dictionary<string, GrainFake<IAgentGrain>> _agents = [];

    public InteractionFlowFixture(InteractionSnapshot current)
    {
        Record.Current = current;
        Log.Answers[nameof(IRoutingEventLog.AppendAsync)] = _ => LogFails ? throw new InvalidOperationException("the database is down") : ValueTask.CompletedTask;
        Outbox = new EventOutbox(Log.Grain, () => Record.UnloggedEvents, NullLogger.Instance, "Interaction i-1");
        Recorder = new InteractionRecorder(() => Record, () => Task.CompletedTask, Outbox, new ObserverManager<IInteractionObserver>(TimeSpan.FromMinutes(5), NullLogger.Instance), Clock, 50, _ => { });
        Admission = new OverflowAdmission(QueueGrain, maxHops: 3);
        Places = new QueuePlaces("i-1", () => Record, QueueGrain);
        Progress = new InteractionProgressReporter("i-1", Clock, QueueGrain, _ => Customer.Grain);
        Consult = new ConsultCoordinator("i-1", Clock, QueueGrain, AgentGrain, Recorder, Admission, Progress);
    }

    public FakeTimeProvider Clock { get; } = new(At.AddMinutes(10));

    public InteractionRecord Record { get; } = new();

    public GrainFake<IRoutingEventLog> Log { get; } = GrainFake.Of<IRoutingEventLog>();

    public bool LogFails { get; set; }

    public GrainFake<ICustomerGrain> Customer { get; } = GrainFake.Of<ICustomerGrain>();

    public EventOutbox Outbox { get; }

    public InteractionRecorder Recorder { get; }

    public OverflowAdmission Admission { get; }

    public QueuePlaces Places { get; }

    public InteractionProgressReporter Progress { get; }

    public ConsultCoordinator Consult { get; }

    public IQueueGrain QueueGrain(string id) => Queue(id).Grain;

    public IAgentGrain AgentGrain(string id) => Agent(id).Grain;

    public GrainFake<IQueueGrain> Queue(string id)
    {
        if (!_queues.TryGetValue(id, out var queue))
        {
            _queues[id] = queue = GrainFake.Of<IQueueGrain>();
            queue.Answers[nameof(IQueueGrain.CheckAdmission)] = _ => Task.FromResult(new EnqueueResult(EnqueueOutcome.Queued, 1, null, null, null));
            queue.Answers[nameof(IQueueGrain.Enqueue)] = _ => Task.FromResult(new EnqueueResult(EnqueueOutcome.Queued, 1, TimeSpan.FromSeconds(20), null, null));
            queue.Answers[nameof(IQueueGrain.GetConfig)] = _ => Task.FromResult<QueueConfig?>(Config(id));
        }

        return queue;
    }

    public GrainFake<IAgentGrain> Agent(string id)
    {
        if (!_agents.TryGetValue(id, out var agent))
        {
            _agents[id] = agent = GrainFake.Of<IAgentGrain>();
        }

        return agent;
    }

    public bool Asked(string queueId) => _queues.ContainsKey(queueId) && _queues[queueId].Calls.Count > 0;

    private static QueueConfig Config(string id) =>
        new(id, id, ["chat"], SelectionPolicy.LongestIdle, ServiceLevelConfig.Default, [], null, 100, false, QueueConfig.DefaultOfferTimeout, null, 0, true);
}
