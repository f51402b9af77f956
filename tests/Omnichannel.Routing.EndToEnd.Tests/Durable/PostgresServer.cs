using System.Diagnostics;

namespace Omnichannel.Routing.EndToEnd.Tests.Durable;

/// <summary>
/// A throwaway PostgreSQL server of this test class's own (tests/postgres.sh), so a test may stop and start it
/// without disturbing others. Each test takes a fresh database.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "omnichannel-pg-" + Guid.NewGuid().ToString("N")[..8]);

    public string AdminConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await RunAsync("start", _directory);
        AdminConnectionString = (await File.ReadAllTextAsync(Path.Combine(_directory, "connection-string"))).Trim();
    }

    public async Task DisposeAsync() => await RunAsync("stop", _directory);

    /// <summary>A fresh, empty database; its Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync() =>
        (await RunAsync("createdb", _directory, "routing_" + Guid.NewGuid().ToString("N")[..12])).Trim().Split('\n')[^1];

    /// <summary>Stops the server, keeping its data, as an outage would.</summary>
    public Task PauseAsync() => RunAsync("pause", _directory);

    /// <summary>Starts it again on the same port.</summary>
    public Task ResumeAsync() => RunAsync("resume", _directory);

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "postgres.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tests/postgres.sh {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await errors}");
        }

        return await output;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Omnichannel.Routing.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Omnichannel.Routing.sln not found above " + AppContext.BaseDirectory);
    }
}
