using Xunit;

namespace Omnichannel.Routing.TestSupport;

/// <summary>
/// Holds the run's shared server (<see cref="PostgresServer.SharedAsync"/>) for a test collection and stops it, if
/// this run started it, when the collection is done. The collection definition lives in the test project.
/// </summary>
public sealed class SharedPostgresServerLifetime : IAsyncLifetime
{
    public Task InitializeAsync() => PostgresServer.SharedAsync();

    public Task DisposeAsync() => PostgresServer.StopSharedAsync();
}

/// <summary>
/// A throwaway server of one test class's own, so a test may pause and resume it without disturbing others.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync().ConfigureAwait(false);

    public async Task DisposeAsync() => await Server.DisposeAsync().ConfigureAwait(false);
}
