namespace Omnichannel.Routing.EndToEnd.Tests;

/// <summary>One engine process per test class, in the embedded default.</summary>
public class EngineFixture : IAsyncLifetime
{
    public EngineProcess Engine { get; private set; } = null!;

    protected virtual string[] Settings => [];

    public async Task InitializeAsync() => Engine = await EngineProcess.StartAsync(Settings);

    public async Task DisposeAsync() => await Engine.DisposeAsync();
}

/// <summary>An engine whose agents lose their offers one second after their desktop's stream goes away.</summary>
public sealed class ShortGraceEngineFixture : EngineFixture
{
    protected override string[] Settings => ["--Routing:OfferStreamGrace=00:00:01", "--Api:OfferStreamRenewal=00:00:00.200", "--Routing:OfferStreamLease=00:00:02"];
}
