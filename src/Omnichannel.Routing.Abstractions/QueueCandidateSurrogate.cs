using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// How the serializer writes Core's <see cref="QueueCandidate"/>, a queue's answer to an agent's peek, so one type
/// serves the queue, the wire and the agent's comparison. A surrogate rather than serializer attributes on the
/// record, because Core takes no package at all and stays free of Orleans; the field numbers live here, with the
/// other grain contracts.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct QueueCandidateSurrogate(
    [property: Id(0)] string QueueId,
    [property: Id(1)] string InteractionId,
    [property: Id(2)] int BasePriority,
    [property: Id(3)] double AgingRate,
    [property: Id(4)] DateTimeOffset Arrival,
    [property: Id(5)] long Sequence,
    [property: Id(6)] int Shard);

/// <summary>Converts <see cref="QueueCandidate"/> to and from <see cref="QueueCandidateSurrogate"/> for the serializer.</summary>
[RegisterConverter]
public sealed class QueueCandidateSurrogateConverter : IConverter<QueueCandidate, QueueCandidateSurrogate>
{
    public QueueCandidate ConvertFromSurrogate(in QueueCandidateSurrogate surrogate) =>
        new(surrogate.QueueId, surrogate.InteractionId, surrogate.BasePriority, surrogate.AgingRate, surrogate.Arrival, surrogate.Sequence, surrogate.Shard);

    public QueueCandidateSurrogate ConvertToSurrogate(in QueueCandidate value) =>
        new(value.QueueId, value.InteractionId, value.BasePriority, value.AgingRate, value.Arrival, value.Sequence, value.Shard);
}
