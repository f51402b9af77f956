using Omnichannel.Routing.Simulation.Engine;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Results;

/// <summary>Runs one or more configurations of a day over the same seeds: a single simulation or a comparison.</summary>
public static class SimulationStudy
{
    /// <param name="configurations">The baseline first, then the configurations compared with it.</param>
    /// <param name="firstSeed">The first seed; seeds are firstSeed, firstSeed + 1, …</param>
    /// <param name="seeds">How many seeds (days) each configuration runs.</param>
    /// <param name="progress">Told after each run finishes.</param>
    public static Comparison Run(IReadOnlyList<(string Name, Scenario Scenario)> configurations, int firstSeed, int seeds, IProgress<SimulationRun>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(configurations);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        if (configurations.Count == 0)
        {
            throw new ArgumentException("Nothing to simulate.", nameof(configurations));
        }

        var results = new List<ConfigurationRuns>();
        foreach (var (name, scenario) in configurations)
        {
            var runs = new List<SimulationRun>();
            for (var seed = firstSeed; seed < firstSeed + seeds; seed++)
            {
                var run = DaySimulation.Run(scenario, seed);
                runs.Add(run);
                progress?.Report(run);
            }

            results.Add(new ConfigurationRuns(name, runs));
        }

        return new Comparison(results);
    }
}
