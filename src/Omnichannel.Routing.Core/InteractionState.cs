namespace Omnichannel.Routing.Core;

/// <summary>Lifecycle of an interaction (contract §2).</summary>
public enum InteractionState
{
    Queued = 1,
    Offered = 2,
    Connected = 3,
    WrapUp = 4,
    Completed = 5,
    Abandoned = 6,
}

/// <summary>The allowed moves between <see cref="InteractionState"/>s.</summary>
public static class InteractionLifecycle
{
    /// <summary>True when the interaction has ended and can change no more.</summary>
    public static bool IsEnded(InteractionState state) =>
        state is InteractionState.Completed or InteractionState.Abandoned;

    /// <summary>
    /// Whether <paramref name="from"/> may move to <paramref name="to"/>. Offers return to the queue on reject,
    /// timeout or sign-out; transfers return connected work to a queue or offer it to another agent.
    /// </summary>
    public static bool CanMove(InteractionState from, InteractionState to) => (from, to) switch
    {
        (InteractionState.Queued, InteractionState.Offered) => true,
        (InteractionState.Queued, InteractionState.Abandoned) => true,
        (InteractionState.Queued, InteractionState.Queued) => true, // moved to another queue
        (InteractionState.Offered, InteractionState.Connected) => true,
        (InteractionState.Offered, InteractionState.Queued) => true,
        (InteractionState.Offered, InteractionState.Offered) => true, // transferred straight to another agent
        (InteractionState.Offered, InteractionState.Abandoned) => true,
        (InteractionState.Connected, InteractionState.WrapUp) => true,
        (InteractionState.Connected, InteractionState.Queued) => true, // transfer to a queue
        (InteractionState.Connected, InteractionState.Offered) => true, // transfer to an agent
        (InteractionState.WrapUp, InteractionState.Completed) => true,
        _ => false,
    };
}
