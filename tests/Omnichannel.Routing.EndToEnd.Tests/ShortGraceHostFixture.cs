namespace Omnichannel.Routing.EndToEnd.Tests;

/// <summary>An engine whose agents lose their offers one second after their desktop's stream goes away.</summary>
public sealed class ShortGraceHostFixture : HostFixture
{
    protected override IReadOnlyList<string> Settings => ["--Routing:OfferStreamGrace=00:00:01", "--Api:OfferStreamRenewal=00:00:00.200", "--Routing:OfferStreamLease=00:00:02"];
}
