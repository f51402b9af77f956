using Microsoft.Extensions.Logging;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// A queue's overflow sends a waiting interaction to another queue: instead of its own (it moves), or as well (it
/// waits in both). A target that refuses, or an overflow that would loop, leaves it where it was.
/// </summary>
internal sealed partial class OverflowMove
{
    private readonly string _interactionId;
    private readonly Func<string, IQueueGrain> _queues;
    private readonly InteractionRecorder _recorder;
    private readonly OverflowAdmission _admission;
    private readonly ILogger _logger;

    private readonly QueueShardBook? _shards;

    public OverflowMove(string interactionId, Func<string, IQueueGrain> queues, InteractionRecorder recorder, OverflowAdmission admission, ILogger logger, QueueShardBook? shards = null)
    {
        _shards = shards;
        _interactionId = interactionId;
        _queues = queues;
        _recorder = recorder;
        _admission = admission;
        _logger = logger;
    }

    public async Task OverflowAsync(string fromQueueId, string targetQueueId, OverflowMode mode)
    {
        var record = _recorder.Record;
        if (record.Current is not { State: InteractionState.Queued } current || current.QueueId != fromQueueId)
        {
            return;
        }

        var overflowedFrom = record.OverflowedFrom.Add(fromQueueId);
        var entry = InteractionQueueEntries.For(current, record.PreferredAgentWait, overflowedFrom);
        var loops = _admission.WouldLoop(overflowedFrom, targetQueueId);
        if (!loops && _shards is not null)
        {
            // The target may be split into shards: read how many before asking the interaction's one.
            await _shards.LearnAsync(targetQueueId);
        }

        var result = loops
            ? new EnqueueResult(EnqueueOutcome.Closed, 0, null, null, "overflow would loop")
            : await _queues(targetQueueId).Enqueue(entry);
        record.OverflowedFrom = overflowedFrom;
        if (result.Outcome is not (EnqueueOutcome.Queued or EnqueueOutcome.Dispatched))
        {
            LogOverflowRefused(_interactionId, targetQueueId, result.Message);
            if (mode == OverflowMode.Instead)
            {
                // The source queue let go of it; it takes it back rather than losing it.
                await _queues(fromQueueId).Enqueue(entry);
            }

            await _recorder.StoreAsync([]);
            return;
        }

        var (interaction, decision) = mode == OverflowMode.Instead
            ? _recorder.Decide(i => i.OverflowInstead(fromQueueId, targetQueueId))
            : _recorder.Decide(i => i.OverflowAlso(fromQueueId, targetQueueId));
        if (mode != OverflowMode.Instead)
        {
            record.AlsoQueues = record.AlsoQueues.Add(targetQueueId);
        }

        await _recorder.ApplyAsync(interaction, decision, Actor.Engine);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interaction {InteractionId} could not overflow to {TargetQueueId}: {Reason}")]
    private partial void LogOverflowRefused(string interactionId, string targetQueueId, string? reason);
}
