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
    public static async Task<EngineProcess> StartAsync(params string[] settings)
    {
        var hostPath = typeof(EngineProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "HostAssemblyPath").Value!;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(hostPath)!,
        };
        start.ArgumentList.Add(hostPath);
        foreach (var arg in new[] { $"--Host:Port={port}", $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Omnichannel=Debug" }.Concat(settings))
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var engine = new EngineProcess(process);
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

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
