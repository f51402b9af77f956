using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace Omnichannel.Routing.TestSupport;

/// <summary>
/// One engine host per test class with authentication and TLS on: a generated certificate, a fresh development key,
/// and channels that trust the certificate and carry a bearer token. A subclass adds settings of its own.
/// </summary>
public class SecureHostFixture : IAsyncLifetime
{
    private readonly List<GrpcChannel> _channels = [];

    public TestTokens Tokens { get; } = new();

    public TestCertificate Certificate { get; } = TestCertificate.Create();

    public HostProcess Host { get; private set; } = null!;

    /// <summary>Extra host settings (<c>--Section:Key=value</c>).</summary>
    protected virtual IReadOnlyList<string> Settings => [];

    public async Task InitializeAsync() =>
        Host = await HostProcess.StartAsync(HostProcess.DefaultAssemblyPath, HostPorts.Free(), [.. Certificate.HostSettings, .. Settings], Tokens).ConfigureAwait(false);

    /// <summary>A channel over TLS that trusts the host's certificate and sends <paramref name="token"/>, if any, as a bearer token.</summary>
    public GrpcChannel ChannelWith(string? token)
    {
        var credentials = token is null
            ? ChannelCredentials.SecureSsl
            : ChannelCredentials.Create(ChannelCredentials.SecureSsl, CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("Authorization", $"Bearer {token}");
                return Task.CompletedTask;
            }));
        var channel = GrpcChannel.ForAddress(Host.Address, new GrpcChannelOptions { HttpHandler = Certificate.TrustingHandler(), Credentials = credentials });
        lock (_channels)
        {
            _channels.Add(channel);
        }

        return channel;
    }

    /// <summary>A channel for a principal with <paramref name="roles"/>.</summary>
    public GrpcChannel ChannelAs(string subject, params string[] roles) => ChannelWith(Tokens.For(subject, roles));

    public async Task DisposeAsync()
    {
        lock (_channels)
        {
            foreach (var channel in _channels)
            {
                channel.Dispose();
            }
        }

        await Host.DisposeAsync().ConfigureAwait(false);
        Certificate.Dispose();
    }
}
