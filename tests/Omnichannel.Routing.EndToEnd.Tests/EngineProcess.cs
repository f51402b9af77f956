using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Grpc.Net.Client;

namespace Omnichannel.Routing.EndToEnd.Tests;

/// <summary>
/// The real host, started as its own process on free loopback ports, the way the README runs it. Stopped (killed if
/// need be) when disposed; its output is kept for failure messages.
/// </summary>
public sealed class EngineProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EngineProcess(Process process)
    {
        _process = process;
    }

    public GrpcChannel Channel { get; private set; } = null!;

    public string Address { get; private set; } = string.Empty;

    public EnginePorts Ports { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a host with extra settings (<c>--Section:Key=value</c> pairs) and waits until it listens.</summary>
    public static Task<EngineProcess> StartAsync(params string[] settings) => StartAsync(EnginePorts.Free(), settings);

    /// <summary>Starts a host on the given ports (a restart reuses its predecessor's, as a redeployed pod would).</summary>
    public static async Task<EngineProcess> StartAsync(EnginePorts ports, params string[] settings)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var hostPath = typeof(EngineProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "HostAssemblyPath").Value!;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(hostPath)!,
        };
        start.ArgumentList.Add(hostPath);
        foreach (var arg in new[] { $"--Host:Port={ports.Grpc}", $"--Orleans:SiloPort={ports.Silo}", $"--Orleans:GatewayPort={ports.Gateway}", $"--Host:MetricsPort={ports.Metrics}", "--Logging:LogLevel:Default=Warning" }.Concat(settings))
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var engine = new EngineProcess(process) { Ports = ports };
        process.OutputDataReceived += (_, e) => engine.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => engine.OnLine(e.Data);
        process.Exited += (_, _) => engine._listening.TrySetException(new InvalidOperationException($"The host exited with code {process.ExitCode}:\n{engine.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            engine.Address = await engine._listening.Task.WaitAsync(StartTimeout);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }

        engine.Channel = GrpcChannel.ForAddress(engine.Address);
        return engine;
    }

    /// <summary>The process, if it has not exited.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or an OOM kill would end it.</summary>
    public async Task KillAsync()
    {
        Channel?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Sends SIGTERM, as an orchestrator stopping a pod does; true if the process has exited within <paramref name="wait"/>.</summary>
    public async Task<bool> TerminateAsync(TimeSpan wait)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        const string marker = "listening on ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            _listening.TrySetResult(line[(at + marker.Length)..].Split(' ')[0]);
        }
    }

    internal static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

/// <summary>The three ports a host listens on.</summary>
public sealed record EnginePorts(int Grpc, int Silo, int Gateway, int Metrics)
{
    public static EnginePorts Free() => new(EngineProcess.FreePort(), EngineProcess.FreePort(), EngineProcess.FreePort(), EngineProcess.FreePort());
}
