using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// How the serializer writes Core's <see cref="OccupancyState"/> in the agent's record: Orleans' binary form, where
/// JSON was written on each of the agent's four writes per lifecycle (with the customer's journey entries, a tenth of
/// the host's CPU under load). A surrogate, so Core stays free
/// of Orleans; immutable, because an exported state is a snapshot nobody changes.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct OccupancyStateSurrogate(
    [property: Id(0)] DateTimeOffset Day,
    [property: Id(1)] DateTimeOffset AccountedUntil,
    [property: Id(2)] bool SignedIn,
    [property: Id(3)] Presence Presence,
    [property: Id(4)] AgentActivity Activity,
    [property: Id(5)] bool Occupied,
    [property: Id(6)] DateTimeOffset ActivitySince,
    [property: Id(7)] DateTimeOffset StretchStart,
    [property: Id(8)] Dictionary<Presence, TimeSpan> PresenceTime,
    [property: Id(9)] Dictionary<AgentActivity, TimeSpan> ActivityTime,
    [property: Id(10)] TimeSpan SignedInTime,
    [property: Id(11)] TimeSpan OccupiedTime,
    [property: Id(12)] Dictionary<string, OccupancyHandlingTotals> Handling,
    [property: Id(13)] OccupancyStretch[] RecentSignedInStretches);

/// <summary>Converts <see cref="OccupancyState"/> to and from <see cref="OccupancyStateSurrogate"/> for the serializer.</summary>
[RegisterConverter]
public sealed class OccupancyStateSurrogateConverter : IConverter<OccupancyState, OccupancyStateSurrogate>
{
    public OccupancyState ConvertFromSurrogate(in OccupancyStateSurrogate surrogate) =>
        new(surrogate.Day, surrogate.AccountedUntil, surrogate.SignedIn, surrogate.Presence, surrogate.Activity, surrogate.Occupied,
            surrogate.ActivitySince, surrogate.StretchStart, surrogate.PresenceTime, surrogate.ActivityTime, surrogate.SignedInTime,
            surrogate.OccupiedTime, surrogate.Handling, surrogate.RecentSignedInStretches);

    public OccupancyStateSurrogate ConvertToSurrogate(in OccupancyState value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value.Day, value.AccountedUntil, value.SignedIn, value.Presence, value.Activity, value.Occupied,
            value.ActivitySince, value.StretchStart, new(value.PresenceTime), new(value.ActivityTime), value.SignedInTime,
            value.OccupiedTime, new(value.Handling, StringComparer.Ordinal), [.. value.RecentSignedInStretches]);
    }
}

/// <summary>How the serializer writes Core's <see cref="OccupancyHandlingTotals"/>.</summary>
[GenerateSerializer, Immutable]
public readonly record struct OccupancyHandlingTotalsSurrogate(
    [property: Id(0)] long Handled,
    [property: Id(1)] TimeSpan HandleTime,
    [property: Id(2)] TimeSpan WrapUpTime);

/// <summary>Converts <see cref="OccupancyHandlingTotals"/> for the serializer.</summary>
[RegisterConverter]
public sealed class OccupancyHandlingTotalsSurrogateConverter : IConverter<OccupancyHandlingTotals, OccupancyHandlingTotalsSurrogate>
{
    public OccupancyHandlingTotals ConvertFromSurrogate(in OccupancyHandlingTotalsSurrogate surrogate) =>
        new(surrogate.Handled, surrogate.HandleTime, surrogate.WrapUpTime);

    public OccupancyHandlingTotalsSurrogate ConvertToSurrogate(in OccupancyHandlingTotals value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value.Handled, value.HandleTime, value.WrapUpTime);
    }
}

/// <summary>How the serializer writes Core's <see cref="OccupancyStretch"/>.</summary>
[GenerateSerializer, Immutable]
public readonly record struct OccupancyStretchSurrogate(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] bool Occupied,
    [property: Id(3)] TimeSpan? MergedOccupiedTime);

/// <summary>Converts <see cref="OccupancyStretch"/> for the serializer.</summary>
[RegisterConverter]
public sealed class OccupancyStretchSurrogateConverter : IConverter<OccupancyStretch, OccupancyStretchSurrogate>
{
    public OccupancyStretch ConvertFromSurrogate(in OccupancyStretchSurrogate surrogate) =>
        new(surrogate.Start, surrogate.End, surrogate.Occupied, surrogate.MergedOccupiedTime);

    public OccupancyStretchSurrogate ConvertToSurrogate(in OccupancyStretch value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value.Start, value.End, value.Occupied, value.MergedOccupiedTime);
    }
}
