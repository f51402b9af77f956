using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Omnichannel.Routing.Storage.Tests;

/// <summary>
/// The PostgreSQL server every test of this project talks to, one per test run. It is the server named by
/// <c>OMNICHANNEL_TEST_POSTGRES</c> (an Npgsql connection string with the right to CREATE DATABASE) when that is set;
/// otherwise a throwaway server that <c>tests/postgres.sh</c> starts on first use and stops when the test collection
/// ends. Tests never share a database: each asks for a fresh one with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer
{
    public const string EnvironmentVariable = "OMNICHANNEL_TEST_POSTGRES";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _shared;

    private readonly string? _ownedDirectory;
    private readonly string? _script;

    private PostgresServer(string adminConnectionString, string? ownedDirectory, string? script)
    {
        AdminConnectionString = adminConnectionString;
        _ownedDirectory = ownedDirectory;
        _script = script;
    }

    /// <summary>A connection string to a database of the server whose user may create and drop databases.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The server for this test run, started on first call when no server was given.</summary>
    public static async Task<PostgresServer> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
                _shared = string.IsNullOrWhiteSpace(given) ? await StartOwnAsync() : new PostgresServer(given, null, null);
            }

            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops the server if this run started it; a server given by the environment is left alone.</summary>
    public static async Task StopSharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is { _ownedDirectory: not null } owned)
            {
                await RunScriptAsync(owned._script!, ["stop", owned._ownedDirectory], TimeSpan.FromMinutes(1));
            }

            _shared = null;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Creates an empty database with a random name; disposing the answer drops it.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = "routing_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name };
        return new TestDatabase(this, name, builder.ConnectionString);
    }

    internal async Task DropDatabaseAsync(string name, string connectionString)
    {
        // Providers keep pooled connections open; FORCE ends whatever the pool clearing did not.
        await using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresServer> StartOwnAsync()
    {
        var script = Path.Combine(FindRepositoryRoot(), "tests", "postgres.sh");
        // Short: the server's unix socket lives in this directory, and socket paths are limited to ~100 bytes.
        var directory = Path.Combine(Path.GetTempPath(), "routing-pg-" + Guid.NewGuid().ToString("N")[..10]);
        // Installing PostgreSQL on a fresh machine is part of a first start, hence the generous limit.
        await RunScriptAsync(script, ["start", directory], TimeSpan.FromMinutes(10));
        var connectionString = (await File.ReadAllTextAsync(Path.Combine(directory, "connection-string"))).Trim();
        var server = new PostgresServer(connectionString, directory, script);

        // A run that dies before the collection ends must not leave a server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(directory))
            {
                RunScriptAsync(script, ["stop", directory], TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            }
        };
        return server;
    }

    private static async Task<string> RunScriptAsync(string script, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            var reason = await errors;
            throw new TimeoutException($"{script} {string.Join(' ', arguments)} did not finish within {timeout}: {reason}");
        }

        if (process.ExitCode != 0)
        {
            var reason = await errors;
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"{script} {string.Join(' ', arguments)} exited with {process.ExitCode}: {reason}"));
        }

        return await output;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Omnichannel.Routing.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Omnichannel.Routing.sln not found above {AppContext.BaseDirectory}; set {EnvironmentVariable} to a PostgreSQL server instead.");
    }
}

/// <summary>A database of its own for one test or one test class; disposing it drops it.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;

    internal TestDatabase(PostgresServer server, string name, string connectionString)
    {
        _server = server;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => new(_server.DropDatabaseAsync(Name, ConnectionString));
}

/// <summary>Holds the shared server for the whole run and stops it (if this run started it) when every class is done.</summary>
public sealed class PostgresServerLifetime : IAsyncLifetime
{
    public Task InitializeAsync() => PostgresServer.SharedAsync();

    public Task DisposeAsync() => PostgresServer.StopSharedAsync();
}

/// <summary>
/// Every test class of this project is in this collection, so the server outlives them all and is stopped once,
/// after the last; classes run one after another, which keeps two Orleans clusters from competing for the two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedPostgresServer : ICollectionFixture<PostgresServerLifetime>
{
    public const string Name = "postgres";
}
