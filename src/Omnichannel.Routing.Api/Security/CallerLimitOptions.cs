namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// Per-principal limits (configuration section "Limits"), applied to authenticated callers: each token subject has
/// its own budget. With authentication off there is no principal to count; the host-wide
/// <c>Api:MaxRoutesInFlight</c> still sheds routes.
/// </summary>
public sealed class CallerLimitOptions
{
    public const string Section = "Limits";

    /// <summary>Calls per second one principal may make, sustained; 0 turns the limit off.</summary>
    public int RequestsPerSecond { get; set; } = 10_000;

    /// <summary>Calls one principal may make at once above the sustained rate (the token bucket's depth).</summary>
    public int Burst { get; set; } = 20_000;

    /// <summary>Streams (offers, interactions, occupancy, queue statistics) one principal may hold open at once.</summary>
    public int MaxWatchStreams { get; set; } = 1_000;
}
