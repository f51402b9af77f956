using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Omnichannel.Routing.Simulation.Scenarios;

/// <summary>Makes the scenario of a variant: a copy of the base with the variant's changes applied.</summary>
public static class ScenarioVariants
{
    private static readonly ISerializer Serializer = new SerializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();

    /// <summary>The base first, named after it, then each of its variants.</summary>
    public static IReadOnlyList<(string Name, Scenario Scenario)> WithVariants(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return [(scenario.Name, scenario), .. scenario.Variants.Select(v => (v.Name, Apply(scenario, v)))];
    }

    /// <summary>A deep copy through the file format itself: the copy is exactly what the file would load as.</summary>
    public static Scenario Copy(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return ScenarioLoader.Parse(Serializer.Serialize(scenario), scenario.Name);
    }

    public static Scenario Apply(Scenario scenario, VariantSpec variant)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(variant);
        var copy = Copy(scenario);
        copy.Name = variant.Name;
        copy.Variants = [];
        foreach (var queue in copy.Queues)
        {
            queue.Policy = variant.Policy ?? queue.Policy;
            queue.AgingRate = variant.AgingRate ?? queue.AgingRate;
            if (variant.NoRelaxation)
            {
                queue.Relaxation = [];
            }

            if (variant.Queues.TryGetValue(queue.Id, out var change))
            {
                queue.Policy = change.Policy ?? queue.Policy;
                queue.AgingRate = change.AgingRate ?? queue.AgingRate;
            }
        }

        foreach (var (group, count) in variant.AgentCounts)
        {
            var spec = copy.Agents.FirstOrDefault(a => a.Name == group) ?? throw new ScenarioException($"variants.{variant.Name}.agentCounts: '{group}' is not an agent group of the scenario");
            spec.Count = count;
        }

        foreach (var id in variant.Queues.Keys.Where(id => copy.Queues.All(q => q.Id != id)))
        {
            throw new ScenarioException($"variants.{variant.Name}.queues: '{id}' is not a queue of the scenario");
        }

        ScenarioLoader.Validate(copy);
        return copy;
    }
}
