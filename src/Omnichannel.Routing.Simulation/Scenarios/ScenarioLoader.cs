using System.Globalization;
using Omnichannel.Routing.Core;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Omnichannel.Routing.Simulation.Scenarios;

/// <summary>A scenario file that cannot be run, with the key at fault first in the message.</summary>
public sealed class ScenarioException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads and checks a scenario file. YAML and JSON both load (JSON is YAML); unknown keys are refused so a typo
/// never silently falls back to a default.
/// </summary>
public static class ScenarioLoader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    public static Scenario Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var scenario = Parse(File.ReadAllText(path), path);
        // Replay files are named relative to the scenario file.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        foreach (var arrival in scenario.Arrivals.Where(a => a.Replay is not null && !Path.IsPathRooted(a.Replay)))
        {
            arrival.Replay = Path.Combine(folder, arrival.Replay!);
        }

        return scenario;
    }

    public static Scenario Parse(string text, string source = "scenario")
    {
        Scenario scenario;
        try
        {
            scenario = Deserializer.Deserialize<Scenario>(text) ?? throw new ScenarioException($"{source}: is empty");
        }
        catch (YamlException e)
        {
            throw new ScenarioException($"{source}: line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}", e);
        }

        Validate(scenario);
        return scenario;
    }

    /// <summary>Checks every reference and bound; throws <see cref="ScenarioException"/> naming the first key at fault.</summary>
    public static void Validate(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Require(DateTimeOffset.TryParse(scenario.Start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _), "start", $"'{scenario.Start}' is not an ISO 8601 time");
        Require(scenario.Hours is > 0 and <= 1000, "hours", "must be more than 0 and at most 1000");
        Require(scenario.IntervalMinutes is > 0 and <= 24 * 60, "intervalMinutes", "must be 1..1440");
        Require(scenario.ServiceLevelSeconds >= 0, "serviceLevelSeconds", "cannot be negative");
        Require(scenario.Channels.Count > 0, "channels", "needs at least one channel");
        var channels = scenario.Channels.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var queues = scenario.Queues.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < scenario.Channels.Count; i++)
        {
            var c = scenario.Channels[i];
            Require(c.Name.Length > 0, $"channels[{i}].name", "is required");
            Require(c.RejectProbability is >= 0 and <= 1 && c.TimeoutProbability is >= 0 and <= 1 && c.RejectProbability + c.TimeoutProbability <= 1,
                $"channels[{i}]", "rejectProbability and timeoutProbability must be 0..1 and add up to at most 1");
            Require(c.AnswerSeconds >= 0 && c.AnswerSeconds < c.OfferTimeoutSeconds, $"channels[{i}].answerSeconds", "must be at least 0 and shorter than offerTimeoutSeconds");
        }

        for (var i = 0; i < scenario.Queues.Count; i++)
        {
            var q = scenario.Queues[i];
            Require(q.Id.Length > 0, $"queues[{i}].id", "is required");
            Require(SelectionPolicyNames.TryParse(q.Policy, out _), $"queues[{i}].policy", $"'{q.Policy}' is not one of {string.Join(", ", SelectionPolicyNames.All)}");
            Require(q.AgingRate >= 0, $"queues[{i}].agingRate", "cannot be negative");
            Require(q.Overflow is null || queues.Contains(q.Overflow.To), $"queues[{i}].overflow.to", $"'{q.Overflow?.To}' is not a queue of the scenario");
            Require(q.Overflow is null || q.Overflow.AfterSeconds is not null || q.Overflow.WhenWaitingAtLeast is not null, $"queues[{i}].overflow", "needs afterSeconds or whenWaitingAtLeast");
        }

        for (var i = 0; i < scenario.Agents.Count; i++)
        {
            var a = scenario.Agents[i];
            Require(a.Count >= 0, $"agents[{i}].count", "cannot be negative");
            Require(a.Queues.All(queues.Contains), $"agents[{i}].queues", "names a queue the scenario does not define");
            Require(a.Capacity.Count > 0 && a.Capacity.All(l => channels.Contains(l.Channel)), $"agents[{i}].capacity", "needs at least one channel, each defined under channels");
            Require(a.Skills.Values.All(l => l is >= SkillSet.MinLevel and <= SkillSet.MaxLevel), $"agents[{i}].skills", "levels are 1..10");
            Require(a.ShiftStart is null || TimeSpan.TryParse(a.ShiftStart, CultureInfo.InvariantCulture, out _), $"agents[{i}].shiftStart", "must be a time of day like 08:30");
            Require(a.ShiftEnd is null || TimeSpan.TryParse(a.ShiftEnd, CultureInfo.InvariantCulture, out _), $"agents[{i}].shiftEnd", "must be a time of day like 17:00");
        }

        for (var i = 0; i < scenario.Arrivals.Count; i++)
        {
            var a = scenario.Arrivals[i];
            Require(queues.Contains(a.Queue), $"arrivals[{i}].queue", $"'{a.Queue}' is not a queue of the scenario");
            Require(channels.Contains(a.Channel), $"arrivals[{i}].channel", $"'{a.Channel}' is not a channel of the scenario");
            Require((a.PerHour is not null ? 1 : 0) + (a.PerInterval is not null ? 1 : 0) + (a.Replay is not null ? 1 : 0) == 1,
                $"arrivals[{i}]", "needs exactly one of perHour, perInterval or replay");
            Require(a.PerHour is null or >= 0, $"arrivals[{i}].perHour", "cannot be negative");
            Require(a.TransferProbability is >= 0 and <= 1, $"arrivals[{i}].transferProbability", "must be 0..1");
            Require(a.TransferProbability == 0 || (a.TransferTo is not null && queues.Contains(a.TransferTo)), $"arrivals[{i}].transferTo", "must name a queue of the scenario");
        }
    }

    private static void Require(bool condition, string key, string message)
    {
        if (!condition)
        {
            throw new ScenarioException($"{key}: {message}");
        }
    }
}

/// <summary>The policy names a scenario uses, as the contract writes them.</summary>
public static class SelectionPolicyNames
{
    private static readonly Dictionary<string, SelectionPolicy> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["longest-idle"] = SelectionPolicy.LongestIdle,
        ["least-occupied"] = SelectionPolicy.LeastOccupied,
        ["best-skill"] = SelectionPolicy.BestSkill,
        ["round-robin"] = SelectionPolicy.RoundRobin,
    };

    public static IEnumerable<string> All => ByName.Keys;

    public static bool TryParse(string name, out SelectionPolicy policy) => ByName.TryGetValue(name, out policy);

    public static SelectionPolicy Parse(string name) =>
        TryParse(name, out var policy) ? policy : throw new ScenarioException($"policy: '{name}' is not one of {string.Join(", ", All)}");

    public static string Name(SelectionPolicy policy) => ByName.First(p => p.Value == policy).Key;
}
