using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>What the agent does with one held interaction after comparing it with the interaction's own record.</summary>
internal enum ReconcileAction
{
    /// <summary>Both agree (or the interaction is still on its way): nothing to do.</summary>
    Keep = 0,

    /// <summary>The interaction no longer gives this agent that work: the agent lets it go.</summary>
    Drop,

    /// <summary>The agent accepted but the interaction still shows an offer: tell it the accept again.</summary>
    RetellAccepted,

    /// <summary>The agent completed but the interaction still shows it connected: tell it the completion again.</summary>
    RetellCompleted,
}

/// <summary>
/// Brings one held interaction and its grain back into agreement after a failure between two writes: what the agent
/// did last is the truth (it stores first, then tells the interaction), so it tells again; what the interaction no
/// longer gives this agent is dropped.
/// </summary>
internal static class Reconciliation
{
    public static ReconcileAction Decide(WorkItem item, InteractionSnapshot? snapshot, string agentId)
    {
        ArgumentNullException.ThrowIfNull(item);
        var consulted = item.Phase == WorkPhase.Offered && snapshot?.ConsultAgentId == agentId && snapshot.State == InteractionState.Connected;
        if (consulted)
        {
            return ReconcileAction.Keep;
        }

        if (snapshot is null || snapshot.AgentId != agentId || InteractionLifecycle.IsEnded(snapshot.State)
            || (item.Phase == WorkPhase.Offered && snapshot.State != InteractionState.Offered))
        {
            return ReconcileAction.Drop;
        }

        return (item.Phase, snapshot.State) switch
        {
            (WorkPhase.Connected, InteractionState.Offered) => ReconcileAction.RetellAccepted,
            (WorkPhase.WrapUp, InteractionState.Connected) => ReconcileAction.RetellCompleted,
            _ => ReconcileAction.Keep,
        };
    }
}
