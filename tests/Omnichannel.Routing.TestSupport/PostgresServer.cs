using Npgsql;

namespace Omnichannel.Routing.TestSupport;

/// <summary>
/// A PostgreSQL server for tests and load runs: a throwaway cluster of its own (tests/postgres.sh: its own directory,
/// a free loopback port, installed with apt on a fresh machine), or an existing server given by a connection string.
/// Tests never share a database: each asks for a fresh one with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>An Npgsql connection string to a server whose user may CREATE DATABASE; tests use it instead of their own.</summary>
    public const string EnvironmentVariable = "OMNICHANNEL_TEST_POSTGRES";

    /// <summary>Installing PostgreSQL on a fresh machine is part of a first start, hence the generous limit.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(1);
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static PostgresServer? _shared;

    private readonly string? _directory;
    private readonly string? _script;
    private readonly EventHandler? _stopOnExit;

    private PostgresServer(string adminConnectionString, string? directory, string? script)
    {
        AdminConnectionString = adminConnectionString;
        _directory = directory;
        _script = script;
        if (directory is not null)
        {
            // A run that dies before disposing must not leave a server behind.
            _stopOnExit = (_, _) => StopOwnedAsync().GetAwaiter().GetResult();
            AppDomain.CurrentDomain.ProcessExit += _stopOnExit;
        }
    }

    /// <summary>A connection string to the server's <c>routing</c> database, as a user who may create and drop databases.</summary>
    public string AdminConnectionString { get; }

    /// <summary>
    /// For creating and dropping databases: a fresh connection each time, since a pooled one would be dead after
    /// <see cref="PauseAsync"/> and <see cref="ResumeAsync"/>.
    /// </summary>
    private string UnpooledAdminConnectionString =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString;

    /// <summary>Whether this server was started here (and is stopped on dispose), rather than given.</summary>
    public bool IsOwned => _directory is not null;

    /// <summary>Starts a throwaway server of its own with tests/postgres.sh.</summary>
    public static async Task<PostgresServer> StartAsync(PostgresServerOptions? options = null, CancellationToken cancel = default)
    {
        var script = Path.Combine(RepositoryDirectory.Find(), "tests", "postgres.sh");
        // Short: the server's unix socket lives in this directory, and socket paths are limited to ~100 bytes.
        var directory = Path.Combine(Path.GetTempPath(), "routing-pg-" + Guid.NewGuid().ToString("N")[..10]);
        string[] arguments = [script, "start", directory, .. (options ?? PostgresServerOptions.Test).ServerSettings()];
        await ExternalCommand.RunAsync("bash", arguments, StartTimeout, cancel: cancel).ConfigureAwait(false);
        var connectionString = (await File.ReadAllTextAsync(Path.Combine(directory, "connection-string"), cancel).ConfigureAwait(false)).Trim();
        return new PostgresServer(connectionString, directory, script);
    }

    /// <summary>An existing server: nothing is started, paused or stopped.</summary>
    public static PostgresServer Existing(string adminConnectionString) => new(adminConnectionString, null, null);

    /// <summary>
    /// The server shared by a whole test run: the one named by <see cref="EnvironmentVariable"/> when set, otherwise
    /// one started on first call and stopped by <see cref="StopSharedAsync"/>.
    /// </summary>
    public static async Task<PostgresServer> SharedAsync()
    {
        await SharedGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_shared is null)
            {
                var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
                _shared = string.IsNullOrWhiteSpace(given) ? await StartAsync().ConfigureAwait(false) : Existing(given);
            }

            return _shared;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    /// <summary>Stops the shared server if this run started it; a server given by the environment is left alone.</summary>
    public static async Task StopSharedAsync()
    {
        await SharedGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_shared is not null)
            {
                await _shared.DisposeAsync().ConfigureAwait(false);
            }

            _shared = null;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    /// <summary>Creates an empty database with a random name; disposing the answer drops it.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = "routing_test_" + Guid.NewGuid().ToString("N")[..12];
        var connection = new NpgsqlConnection(UnpooledAdminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name };
        return new TestDatabase(this, name, builder.ConnectionString);
    }

    /// <summary>Stops the server, keeping its data, as an outage would: every client connection is cut at once.</summary>
    public Task PauseAsync() => RunOwnedAsync("pause");

    /// <summary>Starts a paused server again on the same port.</summary>
    public Task ResumeAsync() => RunOwnedAsync("resume");

    /// <summary>Stops the server and deletes its directory if it was started here.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopOnExit is not null)
        {
            AppDomain.CurrentDomain.ProcessExit -= _stopOnExit;
            await StopOwnedAsync().ConfigureAwait(false);
        }
    }

    internal async Task DropDatabaseAsync(string name, string connectionString)
    {
        // Providers keep pooled connections open; FORCE ends whatever the pool clearing did not.
        var pooled = new NpgsqlConnection(connectionString);
        await using (pooled.ConfigureAwait(false))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        var connection = new NpgsqlConnection(UnpooledAdminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private async Task StopOwnedAsync()
    {
        if (Directory.Exists(_directory))
        {
            await ExternalCommand.RunAsync("bash", [_script!, "stop", _directory], ScriptTimeout).ConfigureAwait(false);
        }
    }

    private async Task RunOwnedAsync(string command)
    {
        if (!IsOwned)
        {
            throw new InvalidOperationException($"Only a server started here can be told to {command}; this one was given.");
        }

        await ExternalCommand.RunAsync("bash", [_script!, command, _directory!], ScriptTimeout).ConfigureAwait(false);
    }
}
