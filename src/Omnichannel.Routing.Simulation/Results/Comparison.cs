namespace Omnichannel.Routing.Simulation.Results;

/// <summary>A figure compare mode puts side by side.</summary>
public enum ComparedFigure
{
    ServiceLevelPercent = 0,
    AverageSpeedOfAnswerSeconds = 1,
    WaitP95Seconds = 2,
    AbandonRatePercent = 3,
    OccupancyMeanPercent = 4,
    OccupancySpreadPercent = 5,
    LongestWaitSeconds = 6,
}

/// <summary>A mean over seeds with the half-width of its 95% confidence interval (Student's t).</summary>
public readonly record struct Estimate(double Mean, double HalfWidth)
{
    public static Estimate Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return new Estimate(double.NaN, double.NaN);
        }

        var mean = values.Average();
        if (values.Count < 2)
        {
            return new Estimate(mean, 0);
        }

        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return new Estimate(mean, StudentT975(values.Count - 1) * Math.Sqrt(variance / values.Count));
    }

    /// <summary>The 97.5% quantile of Student's t, tabulated for small samples; 1.96 beyond 30 degrees of freedom.</summary>
    private static double StudentT975(int degrees) => degrees switch
    {
        1 => 12.706,
        2 => 4.303,
        3 => 3.182,
        4 => 2.776,
        5 => 2.571,
        6 => 2.447,
        7 => 2.365,
        8 => 2.306,
        9 => 2.262,
        <= 14 => 2.145,
        <= 19 => 2.093,
        <= 29 => 2.045,
        _ => 1.96,
    };
}

/// <summary>One configuration's runs, one per seed.</summary>
public sealed record ConfigurationRuns(string Name, IReadOnlyList<SimulationRun> Runs)
{
    public Estimate Of(ComparedFigure figure) => Estimate.Of(Runs.Select(r => Value(r, figure)).ToList());

    public static double Value(SimulationRun run, ComparedFigure figure)
    {
        ArgumentNullException.ThrowIfNull(run);
        return figure switch
        {
            ComparedFigure.ServiceLevelPercent => run.Overall.ServiceLevelPercent ?? 100,
            ComparedFigure.AverageSpeedOfAnswerSeconds => run.Overall.AverageSpeedOfAnswer.TotalSeconds,
            ComparedFigure.WaitP95Seconds => run.Overall.WaitP95.TotalSeconds,
            ComparedFigure.AbandonRatePercent => run.Overall.AbandonRatePercent ?? 0,
            ComparedFigure.OccupancyMeanPercent => run.Occupancy.Mean,
            ComparedFigure.OccupancySpreadPercent => run.Occupancy.Spread,
            ComparedFigure.LongestWaitSeconds => run.Overall.LongestWait.TotalSeconds,
            _ => throw new ArgumentOutOfRangeException(nameof(figure), figure, "not a compared figure"),
        };
    }
}

/// <summary>
/// The same day under two or more configurations, each run with the same seeds. Seeds fix the customers (arrivals,
/// durations, answers), so a difference between configurations is measured on paired runs: the confidence interval
/// of a difference is that of the per-seed differences, much narrower than the two intervals side by side.
/// </summary>
public sealed record Comparison(IReadOnlyList<ConfigurationRuns> Configurations)
{
    public ConfigurationRuns Baseline => Configurations[0];

    /// <summary><paramref name="other"/> minus the baseline, paired by seed.</summary>
    public Estimate Difference(ConfigurationRuns other, ComparedFigure figure)
    {
        ArgumentNullException.ThrowIfNull(other);
        var pairs = Baseline.Runs.Zip(other.Runs, (b, o) => ConfigurationRuns.Value(o, figure) - ConfigurationRuns.Value(b, figure)).ToList();
        return Estimate.Of(pairs);
    }
}
