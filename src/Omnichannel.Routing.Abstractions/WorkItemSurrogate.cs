using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// How the serializer writes Core's <see cref="WorkItem"/>: the agent grain stores its held work as those items and
/// the status view carries them to desktops, so one type serves all three. A surrogate rather than serializer
/// attributes on the record, because Core takes no package at all and stays free of Orleans; the field numbers of the
/// stored form live here, with the other grain contracts.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct WorkItemSurrogate(
    [property: Id(0)] string InteractionId,
    [property: Id(1)] string Channel,
    [property: Id(2)] string QueueId,
    [property: Id(3)] WorkPhase Phase,
    [property: Id(4)] DateTimeOffset Since,
    [property: Id(5)] DateTimeOffset? Deadline,
    [property: Id(6)] TimeSpan WrapUp,
    [property: Id(7)] DateTimeOffset? ConnectedAt);

/// <summary>Converts <see cref="WorkItem"/> to and from <see cref="WorkItemSurrogate"/> for the serializer.</summary>
[RegisterConverter]
public sealed class WorkItemSurrogateConverter : IConverter<WorkItem, WorkItemSurrogate>
{
    public WorkItem ConvertFromSurrogate(in WorkItemSurrogate surrogate) =>
        new(surrogate.InteractionId, surrogate.Channel, surrogate.QueueId, surrogate.Phase, surrogate.Since, surrogate.Deadline, surrogate.WrapUp, surrogate.ConnectedAt);

    public WorkItemSurrogate ConvertToSurrogate(in WorkItem value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value.InteractionId, value.Channel, value.QueueId, value.Phase, value.Since, value.Deadline, value.WrapUp, value.ConnectedAt);
    }
}
