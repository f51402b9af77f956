using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// A transfer offered straight to one agent, bypassing the queue's selection: whether the agent can take it now, and
/// the terms it is offered on.
/// </summary>
internal static class TransferOffer
{
    /// <summary>Why the agent cannot take <paramref name="entry"/> now, or null when it can.</summary>
    public static string? Refusal(string agentId, AgentRecord record, AgentWorkload workload, QueueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(entry);
        if (!record.IsReady || record.Hold is not null)
        {
            return $"agent '{agentId}' is not available for a transfer";
        }

        if (workload.Find(entry.InteractionId) is not null)
        {
            return $"agent '{agentId}' already holds '{entry.InteractionId}'";
        }

        var verdict = workload.CanReserve(entry.Channel);
        return verdict == CapacityVerdict.Fits ? null : $"agent '{agentId}' has no capacity for {entry.Channel} ({verdict})";
    }

    /// <summary>
    /// The claim the transfer is offered under, as if the target queue had granted it: the queue's offer timeout, the
    /// channel's auto-accept, and the queue's wrap-up or else the channel's.
    /// </summary>
    public static ClaimResult Claim(QueueEntry entry, QueueConfig? queue, ChannelConfig? channel) =>
        new(
            true,
            entry,
            queue?.OfferTimeout ?? QueueConfig.DefaultOfferTimeout,
            channel?.AutoAccept ?? false,
            queue?.WrapUp ?? channel?.WrapUp ?? TimeSpan.Zero,
            null);
}
