namespace Omnichannel.Routing.Core;

/// <summary>What an agent says about their own availability (contract §2).</summary>
public enum Presence
{
    Offline = 0,
    Available = 1,
    Away = 2,
}

/// <summary>What an agent is doing, derived from its workload and presence.</summary>
public enum AgentActivity
{
    SignedOut = 0,
    Idle = 1,
    Busy = 2,
    WrapUp = 3,
    NotResponding = 4,
}
