namespace Omnichannel.Routing.Core;

/// <summary>How a queue chooses among eligible agents (contract §3.2).</summary>
public enum SelectionPolicy
{
    /// <summary>The agent idle the longest (since their last offer or becoming available).</summary>
    LongestIdle = 0,

    /// <summary>The lowest share of capacity units in use: balancing across channels.</summary>
    LeastOccupied = 1,

    /// <summary>The highest proficiency score for the interaction's skills, then longest idle.</summary>
    BestSkill = 2,

    /// <summary>The agent this queue selected least recently, agents never selected first.</summary>
    RoundRobin = 3,
}
