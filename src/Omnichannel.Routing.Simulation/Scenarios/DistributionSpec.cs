namespace Omnichannel.Routing.Simulation.Scenarios;

/// <summary>The kinds of duration distribution a scenario may name.</summary>
public enum DistributionKind
{
    Fixed = 0,
    Exponential = 1,
    Uniform = 2,

    /// <summary>Log-normal with the given mean and standard deviation (of the duration, not of its log).</summary>
    LogNormal = 3,
}

/// <summary>A duration distribution in seconds, e.g. <c>{ kind: exponential, mean: 300 }</c>.</summary>
public sealed class DistributionSpec
{
    public DistributionKind Kind { get; set; } = DistributionKind.Fixed;

    public double Mean { get; set; }

    public double StdDev { get; set; }

    public double Min { get; set; }

    public double Max { get; set; }

    public static DistributionSpec Fixed(double seconds) => new() { Kind = DistributionKind.Fixed, Mean = seconds };

    public static DistributionSpec Exponential(double mean) => new() { Kind = DistributionKind.Exponential, Mean = mean };

    /// <summary>One draw, in seconds, never negative.</summary>
    public double Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var value = Kind switch
        {
            DistributionKind.Exponential => -Mean * Math.Log(1 - random.NextDouble()),
            DistributionKind.Uniform => Min + ((Max - Min) * random.NextDouble()),
            DistributionKind.LogNormal => LogNormal(random),
            _ => Mean,
        };
        return Math.Max(0, value);
    }

    private double LogNormal(Random random)
    {
        // Parameters of the underlying normal from the duration's own mean and deviation.
        var sigma2 = Math.Log(1 + (StdDev * StdDev / (Mean * Mean)));
        var mu = Math.Log(Mean) - (sigma2 / 2);
        // Box–Muller: one standard normal from two uniforms.
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Exp(mu + (Math.Sqrt(sigma2) * normal));
    }
}
