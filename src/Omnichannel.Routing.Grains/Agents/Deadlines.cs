namespace Omnichannel.Routing.Grains.Agents;

/// <summary>Picks the one moment a grain's single timer must fire at, from what each part of the grain waits for.</summary>
internal static class Deadlines
{
    /// <summary>The earliest of <paramref name="candidates"/>; null when none waits for anything.</summary>
    public static DateTimeOffset? Earliest(params ReadOnlySpan<DateTimeOffset?> candidates)
    {
        DateTimeOffset? earliest = null;
        foreach (var candidate in candidates)
        {
            if (candidate is { } due && (earliest is null || due < earliest))
            {
                earliest = due;
            }
        }

        return earliest;
    }
}
