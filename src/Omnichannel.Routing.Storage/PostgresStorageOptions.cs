namespace Omnichannel.Routing.Storage;

/// <summary>Settings of the host's PostgreSQL storage (configuration section "Storage").</summary>
public sealed class PostgresStorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// Most connections the host's one data source opens (grain state, event log, migrations): Npgsql's
    /// <c>Maximum Pool Size</c>, unless the connection string sets it. The clustering provider has its own
    /// <see cref="ConnectionBudget.ClusteringPoolSize"/> on top.
    /// </summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>
    /// Grain-state transactions in flight at once. One writer already takes everything pending into one transaction;
    /// a second keeps the database busy while the first waits for its commit to flush.
    /// </summary>
    public int StateWriters { get; set; } = 2;

    /// <summary>Most reads and writes taken into one grain-state transaction.</summary>
    public int MaxBatchOperations { get; set; } = 500;
}
