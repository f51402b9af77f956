namespace Omnichannel.Routing.Core;

/// <summary>The steady-state figures of an M/M/s+M queue (<see cref="ErlangA"/>), over all arrivals.</summary>
/// <param name="ProbabilityOfWaiting">Share of arrivals that find every server busy and wait.</param>
/// <param name="ProbabilityOfAbandoning">Share of arrivals that give up before an agent answers.</param>
/// <param name="AverageSpeedOfAnswer">Mean wait of the answered (those answered at once count 0).</param>
/// <param name="AverageWait">Mean wait of every arrival, answered or abandoned (Little's law: mean queue ÷ arrival rate).</param>
public sealed record ErlangAFigures(double ProbabilityOfWaiting, double ProbabilityOfAbandoning, TimeSpan AverageSpeedOfAnswer, TimeSpan AverageWait)
{
    /// <summary>No arrivals: nobody waits, nobody abandons.</summary>
    public static readonly ErlangAFigures Idle = new(0, 0, TimeSpan.Zero, TimeSpan.Zero);
}

/// <summary>
/// Erlang A (Palm's M/M/s+M): Poisson arrivals, exponential handling, <c>s</c> agents and exponential patience, first
/// come first served. Unlike Erlang C it has a steady state at any load, since waiting customers leave.
/// </summary>
/// <remarks>
/// <para>
/// With λ arrivals per second, μ = 1/AHT and θ = 1/mean patience, the number in the system is a birth-death chain:
/// π_n ∝ Aⁿ/n! up to s (A = λ/μ), then π_{s+j} = π_s · Π_{k=1..j} λ / (sμ + kθ). The lower part is summed through
/// Erlang B (Σ_{n≤s} π_n = π_s / B(s, A)), so no factorial is ever formed; the upper part is summed until its terms
/// no longer move the total.
/// </para>
/// <para>
/// An arrival finding j others waiting (PASTA: it sees the steady state) moves one place forward at rate sμ + iθ while
/// i are ahead of it, and leaves at rate θ itself, so it is answered with probability
/// Π_{i=0..j} (sμ + iθ) / (sμ + (i+1)θ), after a wait whose mean, given it is answered, is Σ_{i=0..j} 1 / (sμ + (i+1)θ).
/// Averaging over j gives the abandonment probability and the average speed of answer; the rate balance
/// θ·E[queue] = λ·P(abandon) holds and the tests check it.
/// </para>
/// </remarks>
public static class ErlangA
{
    // Enough for any centre's queue: the upper terms fall faster than geometrically once kθ exceeds λ − sμ.
    private const int MaximumQueueTerms = 10_000_000;
    private const double Negligible = 1e-16;

    // Far past capacity the weights relative to π_s grow past a double's range; everything is rescaled before then.
    private const double Rescale = 1e200;

    /// <summary>The figures of <paramref name="servers"/> agents offered <paramref name="arrivalsPerSecond"/>, with the given mean handle time and mean patience.</summary>
    public static ErlangAFigures Evaluate(int servers, double arrivalsPerSecond, TimeSpan averageHandleTime, TimeSpan averagePatience)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(servers);
        if (!double.IsFinite(arrivalsPerSecond) || arrivalsPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(arrivalsPerSecond), arrivalsPerSecond, "The arrival rate must be finite and non-negative.");
        }

        if (averageHandleTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(averageHandleTime), averageHandleTime, "The average handle time must be positive.");
        }

        if (averagePatience <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(averagePatience), averagePatience, "The average patience must be positive (infinite patience is Erlang C).");
        }

        if (arrivalsPerSecond == 0)
        {
            return ErlangAFigures.Idle;
        }

        var lambda = arrivalsPerSecond;
        var serviceRate = servers / averageHandleTime.TotalSeconds;
        var theta = 1 / averagePatience.TotalSeconds;
        var blocking = ErlangB.ProbabilityOfBlocking(servers, lambda * averageHandleTime.TotalSeconds);
        if (blocking == 0)
        {
            // All servers are never busy at once (far below capacity): nobody waits.
            return ErlangAFigures.Idle;
        }

        // Weights relative to π_s; the states below s weigh 1/B in all, π_s included.
        var total = 1 / blocking;
        var waiting = 0.0;
        var abandoning = 0.0;
        var answeredWaitSum = 0.0;
        var queueSum = 0.0;
        var weight = 1.0;
        var answerChance = 1.0;
        var meanWaitIfAnswered = 0.0;
        for (var j = 0; j < MaximumQueueTerms; j++)
        {
            if (j > 0)
            {
                weight *= lambda / (serviceRate + (j * theta));
                total += weight;
            }

            if (total > Rescale)
            {
                // Only ratios of these sums are reported, so dividing them all alike changes nothing.
                (total, weight, waiting, abandoning, answeredWaitSum, queueSum) =
                    (total / Rescale, weight / Rescale, waiting / Rescale, abandoning / Rescale, answeredWaitSum / Rescale, queueSum / Rescale);
            }

            var leaveRate = serviceRate + ((j + 1) * theta);
            answerChance *= (serviceRate + (j * theta)) / leaveRate;
            meanWaitIfAnswered += 1 / leaveRate;
            waiting += weight;
            abandoning += weight * (1 - answerChance);
            answeredWaitSum += weight * answerChance * meanWaitIfAnswered;
            queueSum += weight * j;
            if (lambda < serviceRate + ((j + 1) * theta) && weight * (j + 1) < Negligible * total)
            {
                break;
            }
        }

        var probabilityOfAbandoning = abandoning / total;
        var answered = 1 - probabilityOfAbandoning;
        var speedOfAnswer = answered > 0 ? answeredWaitSum / total / answered : 0;
        return new ErlangAFigures(waiting / total, probabilityOfAbandoning, TimeSpan.FromSeconds(speedOfAnswer), TimeSpan.FromSeconds(queueSum / total / lambda));
    }
}
