using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>The persisted state of a <see cref="CustomerGrain"/>.</summary>
[GenerateSerializer]
public sealed class CustomerRecord
{
    [Id(0)]
    public string DisplayName { get; set; } = string.Empty;

    [Id(1)]
    public ImmutableDictionary<string, string> Attributes { get; set; } = ImmutableDictionary<string, string>.Empty;

    [Id(2)]
    public string? LastAgentId { get; set; }

    /// <summary>The journey, newest first, bounded by <see cref="RoutingOptions.JourneyLimit"/>.</summary>
    [Id(3)]
    public List<JourneyEntryView> Journey { get; set; } = [];

    /// <summary>Entries dropped from <see cref="Journey"/> to keep it bounded.</summary>
    [Id(4)]
    public long Trimmed { get; set; }
}
