using System.Collections.Immutable;

namespace Omnichannel.Routing.Core;

/// <summary>
/// One change an <see cref="Interaction"/> made, for its history and the event log. Who caused it, when it was
/// recorded and its sequence are the caller's to add.
/// </summary>
public sealed record InteractionChange(RoutingEventType Type, InteractionState? From, InteractionState To, string? QueueId, string? AgentId, string? Detail);

/// <summary>Why an <see cref="Interaction"/> refused a change: the request field at fault, and a sentence saying why.</summary>
public sealed record InteractionRefusal(string Field, string Reason);

/// <summary>What an <see cref="Interaction"/> answered: the changes it made (none for a repeat), or a refusal.</summary>
public sealed class InteractionDecision
{
    private InteractionDecision(ImmutableArray<InteractionChange> changes, InteractionRefusal? refusal)
    {
        Changes = changes;
        Refusal = refusal;
    }

    /// <summary>A decision that changed nothing and refused nothing: the change was already made.</summary>
    public static InteractionDecision Unchanged { get; } = new([], null);

    public ImmutableArray<InteractionChange> Changes { get; }

    public InteractionRefusal? Refusal { get; }

    public bool IsRefused => Refusal is not null;

    internal static InteractionDecision Made(params ReadOnlySpan<InteractionChange> changes) => new([.. changes], null);

    internal static InteractionDecision Refuse(string field, string reason) => new([], new InteractionRefusal(field, reason));
}
