using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Interactions;

/// <summary>
/// Which queue takes an interaction: asks the queue, and when it is full or closed with overflow configured, its
/// overflow targets in turn, never looping and never past <c>maxHops</c>. A refusal is the error the caller sees.
/// </summary>
internal sealed class OverflowAdmission
{
    private readonly Func<string, IQueueGrain> _queues;
    private readonly int _maxHops;
    private readonly QueueShardBook? _shards;

    /// <param name="queues">Resolves the grain that speaks for a queue (its shard 0).</param>
    /// <param name="maxHops">How many overflows in a row at most.</param>
    /// <param name="shards">Keeps the shard count of the queue that admits (none: not kept).</param>
    public OverflowAdmission(Func<string, IQueueGrain> queues, int maxHops, QueueShardBook? shards = null)
    {
        _queues = queues;
        _maxHops = maxHops;
        _shards = shards;
    }

    /// <summary>The queue that takes a new interaction, following overflow, and the queues it overflowed from.</summary>
    public async Task<(EnqueueResult Result, string QueueId, ImmutableArray<string> OverflowedFrom)> AdmitAsync(string queueId, string channel)
    {
        var overflowedFrom = ImmutableArray<string>.Empty;
        for (var hop = 0; ; hop++)
        {
            var result = await _queues(queueId).CheckAdmission(channel, overflowedFrom);
            if (result.Outcome != EnqueueOutcome.Overflow)
            {
                _shards?.Learn(queueId, result.Shards);
                return (result, queueId, overflowedFrom);
            }

            if (result.OverflowQueueId is not { } next || hop >= _maxHops || overflowedFrom.Contains(next) || next == queueId)
            {
                return (new EnqueueResult(EnqueueOutcome.Full, 0, null, null, $"queue '{queueId}' is {result.Message} and its overflow leads nowhere new"), queueId, overflowedFrom);
            }

            overflowedFrom = overflowedFrom.Add(queueId);
            queueId = next;
        }
    }

    /// <summary>Refuses unless <paramref name="queueId"/> itself takes the interaction: a transfer does not overflow.</summary>
    public async Task EnsureAdmitsAsync(string queueId, string channel)
    {
        var admission = await _queues(queueId).CheckAdmission(channel, []);
        _shards?.Learn(queueId, admission.Shards);
        if (admission.Outcome != EnqueueOutcome.Queued)
        {
            throw Refusal(admission.Outcome == EnqueueOutcome.Overflow ? admission with { Outcome = EnqueueOutcome.Full } : admission, queueId);
        }
    }

    /// <summary>Refuses a transfer to a queue that does not exist, does not take the channel, or will not take it now.</summary>
    public async Task EnsureTransferTargetAsync(string queueId, string channel)
    {
        var config = await _queues(queueId).GetConfig() ?? throw RoutingException.NotFound("queue_id", "queue", queueId);
        if (!config.Channels.Contains(channel))
        {
            throw RoutingException.Invalid("queue_id", $"queue '{queueId}' does not take channel '{channel}'");
        }

        await EnsureAdmitsAsync(queueId, channel);
    }

    /// <summary>Whether a queue's overflow to <paramref name="targetQueueId"/> would loop or go too far.</summary>
    public bool WouldLoop(ImmutableArray<string> overflowedFrom, string targetQueueId) =>
        overflowedFrom.Length > _maxHops || overflowedFrom.Contains(targetQueueId);

    /// <summary>The error for a queue's refusal.</summary>
    public static RoutingException Refusal(EnqueueResult result, string queueId) => result.Outcome switch
    {
        EnqueueOutcome.Full => new RoutingException(RoutingErrorCode.ResourceExhausted, "queue_id", $"queue_id: {result.Message ?? $"queue '{queueId}' is full"}"),
        EnqueueOutcome.Closed => RoutingException.Precondition("queue_id", result.Message ?? $"queue '{queueId}' is closed"),
        EnqueueOutcome.ChannelNotAccepted => RoutingException.Invalid("channel", result.Message ?? $"queue '{queueId}' does not take this channel"),
        EnqueueOutcome.UnknownQueue => RoutingException.NotFound("queue_id", "queue", queueId),
        _ => RoutingException.Precondition("queue_id", result.Message ?? "refused"),
    };
}
