namespace Omnichannel.Routing.Grains;

/// <summary>
/// How a recovery pass reaches the grains (configuration section "Recovery"). Each activation it makes reads its state
/// from the database, so <see cref="Parallelism"/> is what recovery adds to the connections in use: keep it well under
/// the host's connection budget.
/// </summary>
public sealed class RecoveryOptions
{
    public const string Section = "Recovery";

    /// <summary>Calls in flight at once in each step of a pass (queues, agents, held interactions, unlogged events).</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>
    /// Each step's workers, and each round of retries, start after a random delay below this, so silos and workers do
    /// not reach the database in step.
    /// </summary>
    public TimeSpan Jitter { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The wait before the failed calls of a step are tried again; it doubles with each round.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two rounds of retries.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(30);
}
