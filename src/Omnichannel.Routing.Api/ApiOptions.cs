namespace Omnichannel.Routing.Api;

/// <summary>Settings of the gRPC layer (configuration section "Api").</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>How often an open offer stream renews its lease with the agent grain (keep below the lease).</summary>
    public TimeSpan OfferStreamRenewal { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Routes one host works on at once; more are refused with RESOURCE_EXHAUSTED (see RouteAdmission).</summary>
    public int MaxRoutesInFlight { get; set; } = 1000;

    /// <summary>A JSON file (a RoutingConfiguration message in protobuf JSON) loaded at start, if set.</summary>
    public string? ConfigurationFile { get; set; }
}
