using System.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Omnichannel.Routing.TestSupport;

/// <summary>
/// The real engine host (src/Omnichannel.Routing.Host), started as its own process the way the README runs it, on
/// free loopback ports for everything it binds, with authentication on (<see cref="TestTokens.Shared"/>) unless
/// started open. Killed when disposed.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly ServerProcess _server;
    private readonly Lazy<GrpcChannel> _channel;
    private readonly Lazy<CallInvoker> _calls;

    private HostProcess(ServerProcess server, HostPorts ports, TestTokens? tokens)
    {
        _server = server;
        Ports = ports;
        Tokens = tokens;
        _channel = new Lazy<GrpcChannel>(() => GrpcChannel.ForAddress(server.Address));
        _calls = new Lazy<CallInvoker>(() => tokens is null ? _channel.Value.CreateCallInvoker() : _channel.Value.Intercept(new RoleTokens(tokens)));
    }

    /// <summary>The host built beside this library, in the same configuration.</summary>
    public static string DefaultAssemblyPath { get; } = typeof(HostProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "HostAssemblyPath").Value!;

    public HostPorts Ports { get; }

    /// <summary>Its gRPC address, as it printed it.</summary>
    public string Address => _server.Address;

    /// <summary>The tokens it requires; null when it was started open.</summary>
    public TestTokens? Tokens { get; }

    /// <summary>
    /// Calls to its gRPC address over one channel, opened on first use; each call carries the token of the role its
    /// service admits (<see cref="RoleTokens"/>) when the host requires tokens.
    /// </summary>
    public CallInvoker Channel => _calls.Value;

    /// <summary>Its web address (wallboard, HTTP/JSON, OpenAPI): HTTP/1.1 on the web port, over TLS when gRPC is.</summary>
    public Uri WebAddress => new UriBuilder(new Uri(Address)) { Port = Ports.Web }.Uri;

    public int Pid => _server.Pid;

    /// <summary>The process, if it has not exited.</summary>
    public bool IsRunning => !_server.HasExited;

    /// <summary>The exit status, once it has exited.</summary>
    public int? ExitCode => _server.ExitCode;

    /// <summary>Lines it logged at warning level or above.</summary>
    public int Warnings => _server.Warnings;

    /// <summary>The last lines it printed.</summary>
    public string Output => _server.Output;

    /// <summary>How many of every line it printed contain <paramref name="text"/>.</summary>
    public int LinesContaining(string text) => _server.LinesContaining(text);

    /// <summary>Starts the default host with extra settings (<c>--Section:Key=value</c>) and waits until it listens.</summary>
    public static Task<HostProcess> StartAsync(params string[] settings) => StartAsync(HostPorts.Free(), settings);

    /// <summary>Starts the default host on the given ports (a restart reuses its predecessor's, as a redeployed pod would).</summary>
    public static Task<HostProcess> StartAsync(HostPorts ports, params string[] settings) => StartAsync(DefaultAssemblyPath, ports, settings);

    /// <summary>Starts the host at <paramref name="assemblyPath"/> requiring <see cref="TestTokens.Shared"/>.</summary>
    public static Task<HostProcess> StartAsync(string assemblyPath, HostPorts ports, IEnumerable<string> settings) =>
        StartAsync(assemblyPath, ports, settings, TestTokens.Shared);

    /// <summary>Starts the default host open, as the embedded default runs with no <c>Auth:*</c> settings.</summary>
    public static Task<HostProcess> StartOpenAsync(params string[] settings) => StartAsync(DefaultAssemblyPath, HostPorts.Free(), settings, tokens: null);

    /// <summary>
    /// Starts the host at <paramref name="assemblyPath"/> on <paramref name="ports"/>, logging warnings and above,
    /// requiring <paramref name="tokens"/> (null: open); <paramref name="settings"/> come last, so they win over these.
    /// </summary>
    public static async Task<HostProcess> StartAsync(string assemblyPath, HostPorts ports, IEnumerable<string> settings, TestTokens? tokens)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var arguments = ports.Settings.Append("--Logging:LogLevel:Default=Warning").Concat(tokens?.HostSettings ?? []).Concat(settings);
        var server = await ServerProcess.StartAsync("engine host", assemblyPath, arguments).ConfigureAwait(false);
        return new HostProcess(server, ports, tokens);
    }

    /// <summary>Waits until the host has printed <paramref name="text"/> (among its last lines); answers those lines.</summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the host did not print '{text}' within {timeout}:\n{Output}");
            }

            await Task.Delay(25).ConfigureAwait(false);
        }

        return Output;
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or an OOM kill would end it.</summary>
    public Task KillAsync()
    {
        DisposeChannel();
        return _server.KillAsync();
    }

    /// <summary>Sends SIGTERM; true if the process has exited within <paramref name="wait"/>.</summary>
    public Task<bool> TerminateAsync(TimeSpan wait) => _server.TerminateAsync(wait);

    public ValueTask DisposeAsync()
    {
        DisposeChannel();
        return _server.DisposeAsync();
    }

    private void DisposeChannel()
    {
        if (_channel.IsValueCreated)
        {
            _channel.Value.Dispose();
        }
    }
}
