using Npgsql;

namespace Omnichannel.Routing.TestSupport;

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
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        var connection = await OpenAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(sql, connection, parameters);
            var result = await command.ExecuteScalarAsync().ConfigureAwait(false);
            return result is null or DBNull ? default : (T)result;
        }
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var connection = await OpenAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(sql, connection, parameters);
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => new(_server.DropDatabaseAsync(Name, ConnectionString));

    private static NpgsqlCommand Command(string sql, NpgsqlConnection connection, (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
