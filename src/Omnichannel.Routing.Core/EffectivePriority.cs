namespace Omnichannel.Routing.Core;

/// <summary>
/// Effective priority = base priority + seconds waited × the queue's aging rate (contract §3.3). Aging makes every
/// waiting interaction eventually outrank any fixed-priority newcomer, so nothing waits forever.
/// </summary>
public static class EffectivePriority
{
    /// <summary>The default aging rate: one priority point per second of waiting.</summary>
    public const double DefaultAgingRate = 1.0;

    /// <summary>A fixed origin for ordering keys; any instant works, this one keeps the numbers small.</summary>
    public static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The effective priority at <paramref name="now"/>.</summary>
    public static double At(int basePriority, double agingRate, DateTimeOffset arrival, DateTimeOffset now)
    {
        var waited = Math.Max(0, (now - arrival).TotalSeconds);
        return basePriority + (agingRate * waited);
    }

    /// <summary>
    /// A time-invariant key with the same order as <see cref="At"/> among interactions of one queue: since
    /// <c>At(now) = key + rate × (now − Epoch)</c>, and the second term is the same for all of them, sorting by the
    /// key once is sorting by effective priority at every instant.
    /// </summary>
    public static double OrderingKey(int basePriority, double agingRate, DateTimeOffset arrival) =>
        basePriority - (agingRate * (arrival - Epoch).TotalSeconds);
}
