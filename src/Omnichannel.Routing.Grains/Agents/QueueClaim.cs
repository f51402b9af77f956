using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>A queue's answer to an agent's claim, and the queue grain (a queue, or one shard of it) that answered.</summary>
/// <param name="QueueKey">The grain key of the queue or shard the interaction was claimed from.</param>
/// <param name="Result">Granted with the terms of the offer, or refused.</param>
internal sealed record QueueClaim(string QueueKey, ClaimResult Result);
