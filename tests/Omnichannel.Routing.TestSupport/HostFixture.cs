using Xunit;

namespace Omnichannel.Routing.TestSupport;

/// <summary>One engine host per test class, in the embedded default; a subclass gives it settings of its own.</summary>
public class HostFixture : IAsyncLifetime
{
    public HostProcess Host { get; private set; } = null!;

    /// <summary>Extra host settings (<c>--Section:Key=value</c>).</summary>
    protected virtual IReadOnlyList<string> Settings => [];

    public async Task InitializeAsync() => Host = await HostProcess.StartAsync([.. Settings]).ConfigureAwait(false);

    public async Task DisposeAsync() => await Host.DisposeAsync().ConfigureAwait(false);
}
