namespace Omnichannel.Routing.Core;

/// <summary>
/// Erlang B: the probability that all of <c>s</c> servers are busy in a loss system offered <c>A</c> erlangs.
/// It is also, in the M/M/s queue, the probability that all servers are busy given that nobody is waiting, which
/// is what <see cref="QueueModel"/> uses it for.
/// </summary>
public static class ErlangB
{
    /// <summary>
    /// B(s, A) by the recursion B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)): every step stays in [0, 1], so there are
    /// no factorials or powers to overflow, whatever the number of servers. 1 with no servers.
    /// </summary>
    public static double ProbabilityOfBlocking(int servers, double trafficErlangs)
    {
        ErlangC.RequireTraffic(trafficErlangs);
        var blocking = 1.0;
        for (var k = 1; k <= servers && blocking > 0; k++)
        {
            // Once B underflows to 0 it stays 0: the loop may stop.
            blocking = trafficErlangs * blocking / (k + (trafficErlangs * blocking));
        }

        return blocking;
    }
}

/// <summary>Erlang C: the probability that an arrival has to wait in an M/M/s queue.</summary>
public static class ErlangC
{
    /// <summary>
    /// Probability that an arrival waits, with <paramref name="servers"/> servers and offered traffic
    /// <paramref name="trafficErlangs"/> (= arrival rate × mean handle time). 1 when traffic ≥ servers (the queue
    /// has no steady state: everyone ends up waiting); 0 with no traffic.
    /// </summary>
    /// <remarks>Computed from Erlang B as C = s·B / (s − A·(1 − B)), which is stable for any number of servers.</remarks>
    public static double ProbabilityOfWaiting(int servers, double trafficErlangs)
    {
        RequireTraffic(trafficErlangs);
        if (trafficErlangs >= servers)
        {
            return 1;
        }

        var blocking = ErlangB.ProbabilityOfBlocking(servers, trafficErlangs);
        return servers * blocking / (servers - (trafficErlangs * (1 - blocking)));
    }

    internal static void RequireTraffic(double trafficErlangs)
    {
        if (!double.IsFinite(trafficErlangs) || trafficErlangs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(trafficErlangs), trafficErlangs, "Offered traffic must be a finite, non-negative number of erlangs.");
        }
    }
}

/// <summary>What a queue faces now: the inputs of <see cref="QueueModel.Forecast"/>.</summary>
/// <param name="ArrivalsPerSecond">Recent arrival rate.</param>
/// <param name="AverageHandleTime">Recent mean handle time (connected + wrap-up).</param>
/// <param name="Agents">Agents that can take this queue's work now (signed in, eligible), busy or not.</param>
/// <param name="ConcurrencyPerAgent">Interactions one agent handles at once on this channel (1 for voice, e.g. 3 for chat).</param>
/// <param name="Waiting">Interactions waiting now.</param>
/// <param name="ServiceLevelThreshold">The T of the queue's target "answer X% within T".</param>
public sealed record QueueLoad(
    double ArrivalsPerSecond,
    TimeSpan AverageHandleTime,
    int Agents,
    double ConcurrencyPerAgent,
    int Waiting,
    TimeSpan ServiceLevelThreshold);

/// <summary>A queue's predicted figures under a <see cref="QueueLoad"/>.</summary>
/// <param name="EstimatedWait">Expected wait of an interaction arriving now, at most <see cref="QueueModel.MaximumEstimatedWait"/>.</param>
/// <param name="ServiceLevelPercent">Steady-state share of arrivals answered within the threshold, 0..100.</param>
/// <param name="Saturated">No servers, or offered traffic at or above them: the backlog can only grow.</param>
public sealed record QueueForecast(TimeSpan EstimatedWait, double ServiceLevelPercent, bool Saturated)
{
    /// <summary>Steady-state average speed of answer over all arrivals (Erlang C); null when saturated, as it then has no finite value.</summary>
    public TimeSpan? AverageSpeedOfAnswer { get; init; }
}

/// <summary>
/// The queueing model behind the predicted effect of a rebalancing action (contract §5, <c>validate_only</c>): an
/// M/M/s queue (Erlang C) whose servers are the eligible agents' concurrent slots.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Servers s = ⌊Agents × ConcurrencyPerAgent⌋ (at least 0): a chat agent taking 3 at once is 3 servers.</item>
/// <item>Offered traffic A = λ × AHT in seconds.</item>
/// <item>
/// Service level (steady state, Erlang C): SL = 100 × (1 − Pw × e^(−(s − A)·T / AHT)), with Pw = C(s, A); 100 with
/// no traffic; 0 when saturated, since an ever-growing queue eventually answers no one within T.
/// </item>
/// <item>
/// Estimated wait of a new arrival, conditioned on the backlog we can see rather than the steady-state average:
/// with Waiting &gt; 0 every server is busy (otherwise the head would have been offered), so the arrival is
/// answered after Waiting + 1 departures, which come at rate s / AHT: wait = (Waiting + 1) × AHT / s. With nobody
/// waiting it waits only if all servers are busy, which in M/M/s given an empty queue has probability
/// B(s, A) (Erlang B), and then for one departure: wait = B(s, A) × AHT / s. Both are exact for M/M/s under FIFO,
/// hold in saturation too, never fall as the backlog grows or rise as agents are added, and are 0 for an idle
/// queue with free agents. The steady-state average speed of answer, Pw × AHT / (s − A), is reported separately
/// as <see cref="QueueForecast.AverageSpeedOfAnswer"/>: it is an average over all arrivals, and near saturation
/// it runs to hours even when the queue in front of a caller is short.
/// </item>
/// <item>With no servers nothing is answered: wait = <see cref="MaximumEstimatedWait"/>, SL 0, saturated.</item>
/// </list>
/// </remarks>
public static class QueueModel
{
    /// <summary>The longest wait a forecast announces; beyond it the figure means "not in any useful time".</summary>
    public static readonly TimeSpan MaximumEstimatedWait = TimeSpan.FromHours(24);

    // Agents × concurrency is meant to be a whole number of slots more often than not (3 × 1/3); the tolerance keeps
    // floating-point dust from costing a slot.
    private const double SlotTolerance = 1e-9;

    /// <summary>Predicted estimated wait, service level and saturation for <paramref name="load"/> (formulas in the remarks of <see cref="QueueModel"/>).</summary>
    public static QueueForecast Forecast(QueueLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        Validate(load);

        var servers = Servers(load.Agents, load.ConcurrencyPerAgent);
        if (servers == 0)
        {
            return new QueueForecast(MaximumEstimatedWait, 0, Saturated: true);
        }

        var handleSeconds = load.AverageHandleTime.TotalSeconds;
        // An absurd rate × time may overflow; the largest finite traffic saturates just the same.
        var traffic = Math.Min(load.ArrivalsPerSecond * handleSeconds, double.MaxValue);
        var secondsPerDeparture = handleSeconds / servers;
        var waitSeconds = load.Waiting > 0
            ? (load.Waiting + 1.0) * secondsPerDeparture
            : ErlangB.ProbabilityOfBlocking(servers, traffic) * secondsPerDeparture;

        if (traffic >= servers)
        {
            return new QueueForecast(Capped(waitSeconds), 0, Saturated: true);
        }

        var probabilityOfWaiting = ErlangC.ProbabilityOfWaiting(servers, traffic);
        if (probabilityOfWaiting <= 0)
        {
            // No traffic (or none that ever finds all servers busy): everyone is answered at once.
            return new QueueForecast(Capped(waitSeconds), 100, Saturated: false) { AverageSpeedOfAnswer = TimeSpan.Zero };
        }

        var spare = servers - traffic;
        var averageSpeedOfAnswer = probabilityOfWaiting * handleSeconds / spare;
        var serviceLevel = 100 * (1 - (probabilityOfWaiting * Math.Exp(-spare * load.ServiceLevelThreshold.TotalSeconds / handleSeconds)));
        return new QueueForecast(Capped(waitSeconds), Math.Clamp(serviceLevel, 0, 100), Saturated: false)
        {
            AverageSpeedOfAnswer = Capped(averageSpeedOfAnswer),
        };
    }

    /// <summary>⌊agents × concurrency⌋, at least 0 and at most <see cref="int.MaxValue"/>.</summary>
    public static int Servers(int agents, double concurrencyPerAgent)
    {
        var slots = Math.Floor((agents * concurrencyPerAgent) + SlotTolerance);
        return slots <= 0 ? 0 : slots >= int.MaxValue ? int.MaxValue : (int)slots;
    }

    private static TimeSpan Capped(double seconds) =>
        seconds >= MaximumEstimatedWait.TotalSeconds ? MaximumEstimatedWait : TimeSpan.FromSeconds(seconds);

    private static void Validate(QueueLoad load)
    {
        if (!double.IsFinite(load.ArrivalsPerSecond) || load.ArrivalsPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(load), load.ArrivalsPerSecond, "ArrivalsPerSecond must be finite and non-negative.");
        }

        if (!double.IsFinite(load.ConcurrencyPerAgent) || load.ConcurrencyPerAgent < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(load), load.ConcurrencyPerAgent, "ConcurrencyPerAgent must be finite and non-negative.");
        }

        if (load.AverageHandleTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(load), load.AverageHandleTime, "AverageHandleTime must not be negative.");
        }

        if (load.Agents < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(load), load.Agents, "Agents must not be negative.");
        }

        if (load.Waiting < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(load), load.Waiting, "Waiting must not be negative.");
        }

        if (load.ServiceLevelThreshold < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(load), load.ServiceLevelThreshold, "ServiceLevelThreshold must not be negative.");
        }
    }
}
