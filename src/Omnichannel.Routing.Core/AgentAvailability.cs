namespace Omnichannel.Routing.Core;

/// <summary>
/// What a queue knows of one member agent: a snapshot the agent publishes after every change. The agent itself
/// stays the authority on its capacity; a queue uses its snapshot only to choose whom to propose work to.
/// </summary>
/// <param name="AgentId">Agent id.</param>
/// <param name="Version">Grows with every change, so a stale snapshot never overwrites a newer one.</param>
/// <param name="SignedIn">Signed in.</param>
/// <param name="Presence">Presence the agent set.</param>
/// <param name="NotResponding">Let an offer time out and has not set AVAILABLE since.</param>
/// <param name="Skills">Current skills.</param>
/// <param name="Profile">Capacity profile.</param>
/// <param name="Load">Interactions held per channel.</param>
/// <param name="IdleSince">When the agent last received an offer or became available, whichever is later.</param>
/// <param name="HeldFor">An exclusive-channel interaction this agent is kept free for (contract §3.11), if any.</param>
public sealed record AgentAvailability(
    string AgentId,
    long Version,
    bool SignedIn,
    Presence Presence,
    bool NotResponding,
    SkillSet Skills,
    CapacityProfile Profile,
    AgentLoad Load,
    DateTimeOffset IdleSince,
    string? HeldFor)
{
    /// <summary>Signed in, AVAILABLE and responding.</summary>
    public bool IsReady => SignedIn && Presence == Presence.Available && !NotResponding;

    /// <summary>Ready and not kept free for one particular interaction.</summary>
    public bool AcceptsNewWork => IsReady && HeldFor is null;

    public CapacityVerdict CanTake(string channel) => Profile.CanTake(Load, channel);

    public int UnitsUsed => Profile.UnitsUsed(Load);
}
