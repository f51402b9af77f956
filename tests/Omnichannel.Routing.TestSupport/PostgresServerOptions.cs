namespace Omnichannel.Routing.TestSupport;

/// <summary>How a throwaway PostgreSQL server is set up.</summary>
public sealed record PostgresServerOptions
{
    /// <summary>The test server: durability off (a server deleted after the run needs none), 300 connections.</summary>
    public static PostgresServerOptions Test { get; } = new();

    /// <summary>For a benchmark of commits: fsync, synchronous_commit and full_page_writes on, as production runs.</summary>
    public static PostgresServerOptions Durable { get; } = new() { IsDurable = true };

    /// <summary>PostgreSQL's max_connections; tests/postgres.sh's 300 when not set.</summary>
    public int? MaxConnections { get; init; }

    /// <summary>Whether commits are flushed to disk (PostgreSQL's defaults) instead of the test server's speed settings.</summary>
    public bool IsDurable { get; init; }

    /// <summary>The <c>name=value</c> settings tests/postgres.sh puts over its own.</summary>
    internal IReadOnlyList<string> ServerSettings()
    {
        var settings = new List<string>();
        if (MaxConnections is { } connections)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(connections, nameof(MaxConnections));
            settings.Add(FormattableString.Invariant($"max_connections={connections}"));
        }

        if (IsDurable)
        {
            settings.AddRange(["fsync=on", "synchronous_commit=on", "full_page_writes=on"]);
        }

        return settings;
    }
}
