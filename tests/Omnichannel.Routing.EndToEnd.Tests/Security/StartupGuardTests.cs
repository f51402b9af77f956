namespace Omnichannel.Routing.EndToEnd.Tests.Security;

/// <summary>The host refuses to expose an open, plaintext port beyond loopback unless told <c>--insecure</c>.</summary>
public sealed class StartupGuardTests
{
    [Fact]
    public async Task A_non_loopback_address_without_authentication_and_tls_refuses_to_start()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartOpenAsync("--Host:ListenAddress=0.0.0.0"));

        Assert.Contains("exited with code 2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("refusing to listen on 0.0.0.0 without authentication", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_insecure_it_starts_and_says_loudly_that_it_is_open()
    {
        await using var host = await HostProcess.StartOpenAsync("--Host:ListenAddress=0.0.0.0", "--insecure");

        Assert.True(host.IsRunning);
        Assert.Contains("WARNING: authentication is OFF", await host.WaitForOutputAsync("WARNING:", EngineClient.Wait), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_authentication_and_tls_it_starts_on_a_non_loopback_address()
    {
        var tokens = new TestTokens();
        using var certificate = TestCertificate.Create();

        await using var host = await HostProcess.StartAsync(["--Host:ListenAddress=0.0.0.0", .. tokens.HostSettings, .. certificate.HostSettings]);

        Assert.True(host.IsRunning);
        Assert.StartsWith("https://", host.Address, StringComparison.Ordinal);
    }
}
