namespace Omnichannel.Routing.Storage.EventLog;

/// <summary>Settings of the PostgreSQL event log (configuration section "EventLog").</summary>
public sealed class PostgresRoutingEventLogOptions
{
    public const string Section = "EventLog";

    /// <summary>Most events written in one transaction.</summary>
    public int MaxBatchEvents { get; set; } = 2000;

    /// <summary>
    /// Transactions in flight at once. One writer already groups everything that arrives while it commits; a second
    /// one keeps the connection busy while the first waits for its commit to flush.
    /// </summary>
    public int Writers { get; set; } = 2;
}
