namespace Omnichannel.Routing.Grains;

/// <summary>The kinds of record the embedded storage may forget at rest, each kind with its own bound.</summary>
internal enum RestingKind
{
    /// <summary>An interaction that ended (<see cref="RoutingOptions.EmbeddedFinishedInteractions"/>).</summary>
    EndedInteraction,

    /// <summary>A customer with nothing open (<see cref="RoutingOptions.EmbeddedRestingCustomers"/>).</summary>
    Customer,
}

/// <summary>
/// A grain state that can say it is at rest: nothing in it will change unless someone acts again, so the embedded
/// storage may forget it once enough newer records of its kind came to rest.
/// </summary>
internal interface IRestingState
{
    RestingKind Kind { get; }

    bool IsAtRest { get; }
}
