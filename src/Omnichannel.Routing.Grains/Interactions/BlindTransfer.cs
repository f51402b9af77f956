using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// A blind transfer to a queue: the interaction leaves where it is (its queues, or the agent it was with) and waits
/// in the target. A waiting interaction keeps its place in time; handled work starts a new wait.
/// </summary>
internal sealed class BlindTransfer
{
    private readonly string _interactionId;
    private readonly TimeProvider _clock;
    private readonly Func<string, IQueueGrain> _queues;
    private readonly Func<string, IAgentGrain> _agents;
    private readonly InteractionRecorder _recorder;
    private readonly OverflowAdmission _admission;
    private readonly QueuePlaces _places;
    private readonly InteractionProgressReporter _progress;

    public BlindTransfer(
        string interactionId,
        TimeProvider clock,
        Func<string, IQueueGrain> queues,
        Func<string, IAgentGrain> agents,
        InteractionRecorder recorder,
        OverflowAdmission admission,
        QueuePlaces places,
        InteractionProgressReporter progress)
    {
        _interactionId = interactionId;
        _clock = clock;
        _queues = queues;
        _agents = agents;
        _recorder = recorder;
        _admission = admission;
        _places = places;
        _progress = progress;
    }

    public async Task<InteractionSnapshot> ToQueueAsync(string queueId, ImmutableDictionary<string, string> context, string? reason, Actor actor)
    {
        var current = _recorder.Current;
        var (interaction, decision) = _recorder.Decide(i => i.TransferToQueue(queueId, reason, _clock.GetUtcNow()));

        // The target is asked first, so a refusal there changes nothing here.
        await _admission.EnsureTransferTargetAsync(queueId, current.Channel);
        var previousQueues = _places.All(current).ToList();
        var record = _recorder.Record;
        record.AlsoQueues = [];
        record.OverflowedFrom = [];
        record.PendingTransferAgentId = null;
        var events = _recorder.Commit(interaction, decision, actor);
        record.Current = _recorder.Current with { Context = current.Context.SetItems(context) };
        await _recorder.StoreAsync(events);

        if (current.State == InteractionState.Queued)
        {
            foreach (var previous in previousQueues)
            {
                await _queues(previous).Remove(_interactionId);
            }
        }
        else
        {
            _agents(current.AgentId!).Withdraw(_interactionId, "transferred").Ignore();
            _progress.Track(current.QueueId, InteractionState.Queued);
        }

        var moved = _recorder.Current;
        var result = await _queues(queueId).Enqueue(InteractionQueueEntries.For(moved, record.PreferredAgentWait, []));
        _progress.RecordJourney(moved, force: true);
        return moved with { EstimatedWait = result.EstimatedWait, QueuePosition = result.Position };
    }
}
