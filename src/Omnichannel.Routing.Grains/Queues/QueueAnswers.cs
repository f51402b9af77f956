using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// A queue's answers: to an interaction asking to wait in it (admitted, dispatched, overflowed or refused), and to an
/// agent granted the interaction it claimed (the terms of its offer).
/// </summary>
internal static class QueueAnswers
{
    /// <summary>An offer is on its way: first in line, nothing to wait for but the agent's answer.</summary>
    public static EnqueueResult Dispatched { get; } = new(EnqueueOutcome.Dispatched, 1, TimeSpan.Zero, null, null);

    public static EnqueueResult Admitted { get; } = new(EnqueueOutcome.Queued, 0, null, null, null);

    /// <summary>
    /// Whether the queue takes an interaction of <paramref name="channel"/> now. A full or closed queue sends it to
    /// its overflow target unless it overflowed from here before; an interaction the engine already accepted
    /// (<paramref name="admitted"/>: re-queued, moved) is taken whatever the size and open state.
    /// </summary>
    public static EnqueueResult Admission(string queueId, QueueConfig? config, int waiting, string channel, ImmutableArray<string> overflowedFrom, bool admitted)
    {
        if (config is null)
        {
            return Refusal(EnqueueOutcome.UnknownQueue, $"queue '{queueId}' does not exist");
        }

        if (!config.Channels.Contains(channel))
        {
            return Refusal(EnqueueOutcome.ChannelNotAccepted, $"queue '{queueId}' does not take channel '{channel}'");
        }

        // A shard holds its share of the queue's limit: the hash spreads arrivals evenly (see QueueConfig.Shards).
        var full = config.MaxSizePerShard > 0 && waiting >= config.MaxSizePerShard;
        if (!admitted && (config.Closed || full))
        {
            if (config.Overflow is { } overflow && !overflowedFrom.Contains(queueId))
            {
                return new EnqueueResult(EnqueueOutcome.Overflow, 0, null, overflow.TargetQueueId, config.Closed ? "closed" : "full");
            }

            return config.Closed
                ? Refusal(EnqueueOutcome.Closed, $"queue '{queueId}' is closed")
                : Refusal(EnqueueOutcome.Full, $"queue '{queueId}' is full ({config.MaxSize} waiting)");
        }

        var admittedHere = config.PreferActiveAgent ? Admitted : Admitted with { PreferActiveAgent = false };
        return config.Shards > 1 ? admittedHere with { Shards = config.Shards } : admittedHere;
    }

    /// <summary>
    /// The claim granted: the entry goes to the agent (still naming the preferred agent it waited for), with the
    /// queue's offer timeout and wrap-up, or the channel's.
    /// </summary>
    public static ClaimResult Granted(QueueEntry entry, WaitingInteraction waiting, QueueConfig config, ChannelConfig? channel)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(waiting);
        ArgumentNullException.ThrowIfNull(config);
        return new ClaimResult(
            true,
            entry with { PreferredAgentId = waiting.ReservedFor ?? entry.PreferredAgentId },
            config.OfferTimeout > TimeSpan.Zero ? config.OfferTimeout : QueueConfig.DefaultOfferTimeout,
            channel?.AutoAccept ?? false,
            config.WrapUp ?? channel?.WrapUp ?? TimeSpan.Zero,
            null);
    }

    /// <summary>Asked of the wrong shard (the caller's shard count was stale): sent on to its shard, position unknown.</summary>
    public static EnqueueResult Forwarded(int shards) => Admitted with { Shards = shards };

    private static EnqueueResult Refusal(EnqueueOutcome outcome, string message) => new(outcome, 0, null, null, message);
}
