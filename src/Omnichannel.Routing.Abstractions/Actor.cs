namespace Omnichannel.Routing.Abstractions;

/// <summary>Kinds of callers recorded as the cause of a change.</summary>
public enum ActorKind
{
    System = 0,
    Frontend = 1,
    Agent = 2,
    Supervisor = 3,
    Admin = 4,
}

/// <summary>Who caused a change; recorded with every event.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor(ActorKind Kind, string Id)
{
    public static Actor Engine { get; } = new(ActorKind.System, "engine");

    public static Actor Agent(string agentId) => new(ActorKind.Agent, agentId);

    public override string ToString() => $"{Kind}:{Id}";
}
