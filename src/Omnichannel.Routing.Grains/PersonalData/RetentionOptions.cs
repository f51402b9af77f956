namespace Omnichannel.Routing.Grains.PersonalData;

/// <summary>
/// How long customers' personal data is kept, and how it is pseudonymised (configuration section "Retention").
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// Interactions that ended more than this many days ago lose their context (in their grains, the customer's
    /// journey and the event log); 0 keeps context until the customer is erased.
    /// </summary>
    public int ContextDays { get; set; }

    /// <summary>How often the retention job looks for expired context.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Interactions one pass of the job forgets at most, so a backlog never floods the grains or the database.</summary>
    public int PurgeBatch { get; set; } = 500;

    /// <summary>Grain calls in flight at once in a pass.</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>
    /// The key of the keyed hash that turns an erased customer's id into its pseudonymous id. Set the same secret on
    /// every silo so one customer always gets the same pseudonym; unset, each process draws a random key.
    /// </summary>
    public string? PseudonymKey { get; set; }
}
