namespace Omnichannel.Routing.Storage.GrainState;

/// <summary>The row of one grain's state: its grain type, its key and the state's name.</summary>
internal readonly record struct StateKey(string GrainType, string GrainId, string StateName) : IComparable<StateKey>
{
    // Writes in one transaction take their rows in this order, so two transactions never wait on each other in a cycle.
    public int CompareTo(StateKey other)
    {
        var byType = string.CompareOrdinal(GrainType, other.GrainType);
        if (byType != 0)
        {
            return byType;
        }

        var byId = string.CompareOrdinal(GrainId, other.GrainId);
        return byId != 0 ? byId : string.CompareOrdinal(StateName, other.StateName);
    }
}

/// <summary>A stored row: its version (the ETag) and the state, null once cleared.</summary>
internal sealed record StoredState(long Version, byte[]? Payload);
