using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Durable;

/// <summary>Reads an interaction's recorded history and checks it never had two agents at once.</summary>
public static class AssignmentAudit
{
    /// <summary>Problems found in the history, or none: events in sequence order, one holder at a time.</summary>
    public static IReadOnlyList<string> Problems(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var problems = new List<string>();
        string? holder = null;
        long previous = 0;
        foreach (var e in interaction.History)
        {
            if (e.Sequence <= previous)
            {
                problems.Add($"{interaction.InteractionId}: event {e.Sequence} ({e.Type}) out of order after {previous}");
            }

            previous = e.Sequence;
            if (e.Type.StartsWith("consult_", StringComparison.Ordinal))
            {
                // A warm transfer's offer to a second agent, while the first stays connected: not an assignment.
                continue;
            }

            if (e.Type == "transferred" && e.ToState == InteractionState.Connected)
            {
                holder = e.AgentId;
                continue;
            }

            switch (e.ToState)
            {
                case InteractionState.Offered when e.FromState != InteractionState.Offered || e.Type == "transferred":
                    if (holder is not null && e.Type != "transferred")
                    {
                        problems.Add($"{interaction.InteractionId}: offered to {e.AgentId} while {holder} held it (event {e.Sequence})");
                    }

                    holder = e.AgentId;
                    break;
                case InteractionState.Connected or InteractionState.WrapUp or InteractionState.Completed:
                    if (holder is null || holder != e.AgentId)
                    {
                        problems.Add($"{interaction.InteractionId}: {e.Type} by {e.AgentId} but {holder ?? "no one"} held it (event {e.Sequence})");
                    }

                    break;
                case InteractionState.Queued or InteractionState.Abandoned:
                    holder = null;
                    break;
            }
        }

        if (interaction.History.Count == 0 || interaction.History[0].Type != "routed")
        {
            problems.Add($"{interaction.InteractionId}: history does not start with 'routed'");
        }

        return problems;
    }

    /// <summary>Fails with the problems and the whole history, so a violation can be read from the test output.</summary>
    public static void AssertClean(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var problems = Problems(interaction);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\nhistory:\n" + string.Join("\n", interaction.History.Select(e =>
            $"  #{e.Sequence} {e.Time} {e.Type} {e.FromState}->{e.ToState} agent={e.AgentId} by={e.Actor.Kind}:{e.Actor.Id} {e.Detail}")));
    }
}
