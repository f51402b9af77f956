using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Omnichannel.Routing.TestSupport;

/// <summary>
/// A server started as its own process (<c>dotnet server.dll args</c>: the engine host, the echo server), ready once it
/// prints "listening on ADDRESS". Its last lines are kept for failure messages; it is killed, with its children, when
/// disposed.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>Long enough for a cold start on a busy two-core machine.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private const int KeptLines = 400;
    private const string ListeningMarker = "listening on ";

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly List<string> _allLines = [];
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _warnings;

    private ServerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>What the server is, for messages ("engine host", "echo server").</summary>
    public string Name { get; }

    /// <summary>The address from its "listening on" line.</summary>
    public string Address { get; private set; } = string.Empty;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit status, once it has exited.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Lines the server logged at warning level or above.</summary>
    public int Warnings => Volatile.Read(ref _warnings);

    /// <summary>The last lines (up to 400) the server printed.</summary>
    public string Output
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    /// <summary>How many of every line the server printed contain <paramref name="text"/> (a symptom to rule out, such as an error).</summary>
    public int LinesContaining(string text)
    {
        lock (_lastLines)
        {
            return _allLines.Count(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="assemblyPath"/></c> with <paramref name="arguments"/> and waits until it listens.</summary>
    public static async Task<ServerProcess> StartAsync(string name, string assemblyPath, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException($"{name}: {assemblyPath} does not exist; build it first", assemblyPath);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, name);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = server.ReportExitAsync();
        try
        {
            server.Address = await server._listening.Task.WaitAsync(StartTimeout).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or an OOM kill would end it.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends SIGTERM, as an orchestrator stopping a pod does; true if the process has exited within <paramref name="wait"/>.</summary>
    public async Task<bool> TerminateAsync(TimeSpan wait)
    {
        await ExternalCommand.RunAsync("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    // Process.Exited can fire before the last lines are read, which left a refusal without its reason; waiting for exit
    // without a token also waits for both redirected streams to reach their end.
    private async Task ReportExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            _listening.TrySetException(new InvalidOperationException($"{Name} exited with code {_process.ExitCode}:\n{Output}"));
        }
        catch (ObjectDisposedException)
        {
            // Disposed after it listened: nobody waits for the start any more.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (WarningLine().IsMatch(line))
        {
            Interlocked.Increment(ref _warnings);
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            _allLines.Add(line);
            while (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }

        var at = line.IndexOf(ListeningMarker, StringComparison.Ordinal);
        if (at >= 0)
        {
            _listening.TrySetResult(line[(at + ListeningMarker.Length)..].Split(' ')[0]);
        }
    }

    // The console logger's level prefixes: "warn: ", "fail: ", "crit: ".
    [GeneratedRegex("^(warn|fail|crit): ")]
    private static partial Regex WarningLine();
}
