using System.Globalization;
using YamlDotNet.Serialization;

namespace Omnichannel.Routing.Simulation.Scenarios;

/// <summary>
/// A simulated day, as a scenario file states it (YAML or JSON, camelCase keys): the channels and how long their work
/// takes, the queues and their routing configuration, the agents and their shifts, and the arrivals. See
/// docs/reporting-and-simulation.md for every key.
/// </summary>
public sealed class Scenario
{
    public string Name { get; set; } = "scenario";

    /// <summary>When the simulated day starts, ISO 8601 (UTC when no offset is given).</summary>
    public string Start { get; set; } = "2026-11-30T08:00:00Z";

    /// <summary>How long the day runs; arrivals stop then, work in hand is finished.</summary>
    public double Hours { get; set; } = 8;

    public int IntervalMinutes { get; set; } = 15;

    /// <summary>The T of "answered within T".</summary>
    public double ServiceLevelSeconds { get; set; } = 20;

    public int Seed { get; set; } = 1;

    public List<ChannelSpec> Channels { get; set; } = [];

    public List<QueueSpec> Queues { get; set; } = [];

    public List<AgentGroupSpec> Agents { get; set; } = [];

    public List<ArrivalSpec> Arrivals { get; set; } = [];

    /// <summary>Other configurations of the same day, each compared with this one in compare mode.</summary>
    public List<VariantSpec> Variants { get; set; } = [];

    [YamlIgnore]
    public DateTimeOffset StartTime => DateTimeOffset.Parse(Start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [YamlIgnore]
    public DateTimeOffset EndTime => StartTime + TimeSpan.FromHours(Hours);
}

/// <summary>A channel: how long its work takes, how long its customers wait, how agents answer its offers.</summary>
public sealed class ChannelSpec
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Connected time, seconds.</summary>
    public DistributionSpec Handle { get; set; } = DistributionSpec.Fixed(180);

    /// <summary>Wrap-up time, seconds.</summary>
    public DistributionSpec WrapUp { get; set; } = DistributionSpec.Fixed(0);

    /// <summary>How long a customer waits before abandoning, seconds; none: nobody abandons.</summary>
    public DistributionSpec? Patience { get; set; }

    /// <summary>Chance an agent rejects an offer (it is never offered to that agent again).</summary>
    public double RejectProbability { get; set; }

    /// <summary>Chance an agent lets an offer time out.</summary>
    public double TimeoutProbability { get; set; }

    public double OfferTimeoutSeconds { get; set; } = 15;

    /// <summary>How long an agent takes to accept or reject an offer, seconds (0 for auto-accept channels).</summary>
    public double AnswerSeconds { get; set; }
}

/// <summary>A queue's routing configuration.</summary>
public sealed class QueueSpec
{
    public string Id { get; set; } = string.Empty;

    /// <summary>longest-idle, least-occupied, best-skill or round-robin.</summary>
    public string Policy { get; set; } = "longest-idle";

    /// <summary>Priority points gained per second of waiting.</summary>
    public double AgingRate { get; set; } = 1;

    public List<RelaxationSpec> Relaxation { get; set; } = [];

    public OverflowSpec? Overflow { get; set; }
}

/// <summary>After <see cref="AfterSeconds"/> of waiting, <see cref="Skill"/> drops to <see cref="Level"/> (or is no longer required).</summary>
public sealed class RelaxationSpec
{
    public double AfterSeconds { get; set; }

    public string Skill { get; set; } = string.Empty;

    public int? Level { get; set; }
}

/// <summary>Where a queue sends work it cannot serve: when this many already wait, or after waiting this long.</summary>
public sealed class OverflowSpec
{
    public string To { get; set; } = string.Empty;

    public int? WhenWaitingAtLeast { get; set; }

    public double? AfterSeconds { get; set; }
}

/// <summary>Agents alike in skills, queues, capacity and shift.</summary>
public sealed class AgentGroupSpec
{
    public string Name { get; set; } = "agent";

    public int Count { get; set; } = 1;

    public Dictionary<string, int> Skills { get; set; } = [];

    public List<string> Queues { get; set; } = [];

    public int TotalUnits { get; set; } = 1;

    public List<ChannelLimitSpec> Capacity { get; set; } = [];

    /// <summary>Sign-in, as a time of the scenario's day ("08:00"); the day's start when empty.</summary>
    public string? ShiftStart { get; set; }

    /// <summary>Sign-out (after finishing work in hand); the day's end when empty.</summary>
    public string? ShiftEnd { get; set; }
}

public sealed class ChannelLimitSpec
{
    public string Channel { get; set; } = string.Empty;

    public int Max { get; set; } = 1;

    public int Cost { get; set; } = 1;

    public bool Exclusive { get; set; }
}

/// <summary>
/// A stream of arrivals into one queue on one channel: Poisson with a constant hourly rate or an expected count per
/// interval, or replayed from a CSV of arrival timestamps (one per line, ISO 8601; header optional).
/// </summary>
public sealed class ArrivalSpec
{
    public string Queue { get; set; } = string.Empty;

    public string Channel { get; set; } = string.Empty;

    public int Priority { get; set; }

    public Dictionary<string, int> RequiredSkills { get; set; } = [];

    public double? PerHour { get; set; }

    /// <summary>Expected arrivals in each interval of the day, in order.</summary>
    public List<double>? PerInterval { get; set; }

    /// <summary>A CSV of arrival timestamps, relative to the scenario file.</summary>
    public string? Replay { get; set; }

    /// <summary>Chance that handled work is then transferred to <see cref="TransferTo"/>.</summary>
    public double TransferProbability { get; set; }

    public string? TransferTo { get; set; }
}

/// <summary>
/// Another configuration of the same day: the changes it makes to the scenario (a policy for every queue, per-queue
/// policy or aging, no relaxation, other head counts). Anything not named stays as the scenario has it.
/// </summary>
public sealed class VariantSpec
{
    public string Name { get; set; } = "variant";

    /// <summary>The selection policy of every queue.</summary>
    public string? Policy { get; set; }

    /// <summary>The aging rate of every queue.</summary>
    public double? AgingRate { get; set; }

    /// <summary>Drops every queue's relaxation steps.</summary>
    public bool NoRelaxation { get; set; }

    /// <summary>Per queue id: its policy and aging rate.</summary>
    public Dictionary<string, QueueOverride> Queues { get; set; } = [];

    /// <summary>Per agent group name: how many agents it has.</summary>
    public Dictionary<string, int> AgentCounts { get; set; } = [];
}

public sealed class QueueOverride
{
    public string? Policy { get; set; }

    public double? AgingRate { get; set; }
}
