using CsCheck;

namespace Omnichannel.Routing.Core.Tests;

public class QueueModelTests
{
    private static readonly TimeSpan Twenty = TimeSpan.FromSeconds(20);

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);

    /// <summary>
    /// C(s, A) straight from its definition, (A^s/s! · s/(s−A)) ÷ (Σ_{k&lt;s} A^k/k! + A^s/s! · s/(s−A)), summed term
    /// by term in doubles: fine for small s, and independent of the Erlang B recursion under test.
    /// </summary>
    private static double ErlangCByDefinition(int servers, double traffic)
    {
        var term = 1.0; // A^0 / 0!
        var sum = 0.0;
        for (var k = 0; k < servers; k++)
        {
            sum += term;
            term *= traffic / (k + 1);
        }

        var waiting = term * servers / (servers - traffic);
        return waiting / (sum + waiting);
    }

    [Fact]
    public void Erlang_c_matches_values_worked_by_hand()
    {
        // M/M/1: Pw = ρ, so s = 1, A = 0.5 → 0.5.
        Assert.Equal(0.5, ErlangC.ProbabilityOfWaiting(1, 0.5), 12);

        // s = 2, A = 1: B(1) = 1·1/(1+1) = 1/2, B(2) = 1·½/(2+½) = 1/5; C = 2·⅕ / (2 − 1·⅘) = 0.4 / 1.2 = 1/3.
        Assert.Equal(1.0 / 3, ErlangC.ProbabilityOfWaiting(2, 1), 12);

        // s = 3, A = 2: B = 2/3, 2/5, 4/19; C = 3·4/19 / (3 − 2·15/19) = (12/19) / (27/19) = 4/9.
        Assert.Equal(4.0 / 9, ErlangC.ProbabilityOfWaiting(3, 2), 12);

        // s = 10, A = 8: exactly 4194304 / 10250507 = 0.409180…, worked in rationals (Python Fraction).
        Assert.Equal(4194304.0 / 10250507, ErlangC.ProbabilityOfWaiting(10, 8), 12);

        // s = 11, A = 10: exactly 15625000 / 22906587 = 0.682118…
        Assert.Equal(15625000.0 / 22906587, ErlangC.ProbabilityOfWaiting(11, 10), 12);
    }

    [Fact]
    public void Erlang_c_is_stable_for_ten_thousand_servers()
    {
        // Reference values from the definition summed with 60-digit decimals (Python decimal), where A^s/s! would
        // overflow a double many times over.
        Assert.Equal(0.222776928864148, ErlangC.ProbabilityOfWaiting(10_000, 9_900), 9);
        Assert.Equal(0.0682534153771414, ErlangC.ProbabilityOfWaiting(1_000, 950), 9);

        var huge = ErlangC.ProbabilityOfWaiting(100_000, 50_000);
        Assert.True(huge is >= 0 and < 1e-100, $"far below capacity nobody waits, got {huge}");
    }

    [Fact]
    public void Erlang_c_agrees_with_its_definition_for_small_server_counts()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Double[0.001, 0.999]).Sample((servers, load) =>
        {
            var traffic = servers * load;
            var expected = ErlangCByDefinition(servers, traffic);
            Assert.Equal(expected, ErlangC.ProbabilityOfWaiting(servers, traffic), 10);
        });
    }

    [Fact]
    public void Erlang_c_edges_are_certain_waits_or_none()
    {
        Assert.Equal(1, ErlangC.ProbabilityOfWaiting(10, 10));    // traffic = servers
        Assert.Equal(1, ErlangC.ProbabilityOfWaiting(10, 12.5));  // traffic above servers
        Assert.Equal(1, ErlangC.ProbabilityOfWaiting(0, 0));      // no servers at all
        Assert.Equal(0, ErlangC.ProbabilityOfWaiting(5, 0));      // no traffic
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.ProbabilityOfWaiting(5, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.ProbabilityOfWaiting(5, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.ProbabilityOfWaiting(5, double.PositiveInfinity));
    }

    [Fact]
    public void Erlang_b_matches_values_worked_by_hand()
    {
        Assert.Equal(0.2, ErlangB.ProbabilityOfBlocking(2, 1), 12);   // see the s = 2 case above
        Assert.Equal(4.0 / 19, ErlangB.ProbabilityOfBlocking(3, 2), 12);
        Assert.Equal(1, ErlangB.ProbabilityOfBlocking(0, 3));
    }

    [Fact]
    public void Textbook_call_centre_service_level_and_speed_of_answer()
    {
        // 100 calls per 30 min (λ = 1/18 per s), 180 s handle time → A = 10 erlangs; target 20 s.
        // 11 agents: Pw = 0.682118; ASA = 0.682118 × 180 / (11 − 10) = 122.78 s;
        //            SL = 1 − 0.682118 × e^(−1 × 20/180) = 1 − 0.682118 × 0.894839 = 38.96 %.
        // 14 agents: Pw = 0.174132; ASA = 0.174132 × 180 / 4 = 7.836 s; SL = 1 − 0.174132 × e^(−80/180) = 88.84 %.
        var eleven = QueueModel.Forecast(new QueueLoad(1.0 / 18, Seconds(180), 11, 1, 0, Twenty));
        var fourteen = QueueModel.Forecast(new QueueLoad(1.0 / 18, Seconds(180), 14, 1, 0, Twenty));

        Assert.False(eleven.Saturated);
        Assert.Equal(38.9614, eleven.ServiceLevelPercent, 3);
        Assert.Equal(122.781, eleven.AverageSpeedOfAnswer!.Value.TotalSeconds, 2);
        Assert.Equal(88.8350, fourteen.ServiceLevelPercent, 3);
        Assert.Equal(7.836, fourteen.AverageSpeedOfAnswer!.Value.TotalSeconds, 2);
    }

    [Fact]
    public void With_nobody_waiting_a_new_arrival_waits_for_one_departure_only_if_every_server_is_busy()
    {
        // s = 2, A = 1 (λ = 1/60 per s, AHT 60 s): all busy given an empty queue with probability B(2, 1) = 0.2,
        // then one departure at rate 2/60 per s: 0.2 × 60 / 2 = 6 s.
        var forecast = QueueModel.Forecast(new QueueLoad(1.0 / 60, Seconds(60), 2, 1, 0, Twenty));

        Assert.Equal(6, forecast.EstimatedWait.TotalSeconds, 6);
    }

    [Fact]
    public void With_a_backlog_a_new_arrival_waits_for_every_interaction_ahead_of_it_plus_one_departure()
    {
        // 4 waiting, 3 agents, AHT 90 s: (4 + 1) × 90 / 3 = 150 s, whatever the arrival rate.
        var quiet = QueueModel.Forecast(new QueueLoad(0.001, Seconds(90), 3, 1, 4, Twenty));
        var busy = QueueModel.Forecast(new QueueLoad(0.03, Seconds(90), 3, 1, 4, Twenty));

        Assert.Equal(Seconds(150), quiet.EstimatedWait);
        Assert.Equal(Seconds(150), busy.EstimatedWait);
    }

    [Fact]
    public void Chat_concurrency_multiplies_servers_rounded_down()
    {
        Assert.Equal(6, QueueModel.Servers(2, 3));
        Assert.Equal(1, QueueModel.Servers(3, 0.5));  // 1.5 slots → 1
        Assert.Equal(3, QueueModel.Servers(10, 0.3)); // 10 × 0.3 = 3 despite floating-point dust
        Assert.Equal(0, QueueModel.Servers(0, 3));

        // 2 agents × 3 chats = 6 servers; 5 waiting, AHT 120 s: (5 + 1) × 120 / 6 = 120 s.
        var chat = QueueModel.Forecast(new QueueLoad(0.01, Seconds(120), 2, 3, 5, Twenty));
        Assert.Equal(Seconds(120), chat.EstimatedWait);
    }

    [Fact]
    public void Traffic_at_or_above_the_servers_saturates_with_a_backlog_based_wait()
    {
        // λ = 1/18, AHT 180 s → A = 10 erlangs on 5 agents: saturated. 4 waiting: (4 + 1) × 180 / 5 = 180 s.
        var forecast = QueueModel.Forecast(new QueueLoad(1.0 / 18, Seconds(180), 5, 1, 4, Twenty));

        Assert.True(forecast.Saturated);
        Assert.Equal(0, forecast.ServiceLevelPercent);
        Assert.Equal(Seconds(180), forecast.EstimatedWait);
        Assert.Null(forecast.AverageSpeedOfAnswer);
        Assert.True(QueueModel.Forecast(new QueueLoad(0.1, Seconds(10), 1, 1, 0, Twenty)).Saturated); // A = 1 = s
    }

    [Fact]
    public void No_agents_means_the_capped_wait_and_no_service()
    {
        var forecast = QueueModel.Forecast(new QueueLoad(0, Seconds(180), 0, 1, 0, Twenty));

        Assert.Equal(new QueueForecast(QueueModel.MaximumEstimatedWait, 0, Saturated: true), forecast);
        Assert.Equal(TimeSpan.FromHours(24), QueueModel.MaximumEstimatedWait);
    }

    [Fact]
    public void A_huge_backlog_is_capped()
    {
        // 1,000,000 waiting × 600 s / 1 agent is years; the forecast says 24 h.
        var forecast = QueueModel.Forecast(new QueueLoad(0, Seconds(600), 1, 1, 1_000_000, Twenty));

        Assert.Equal(QueueModel.MaximumEstimatedWait, forecast.EstimatedWait);
    }

    [Fact]
    public void Without_arrivals_everyone_is_served_in_time_and_only_the_backlog_waits()
    {
        // λ = 0: no one finds the servers busy in the long run (SL 100, ASA 0); the 3 waiting now still go first:
        // (3 + 1) × 60 / 2 = 120 s. With no backlog: no wait at all.
        var backlog = QueueModel.Forecast(new QueueLoad(0, Seconds(60), 2, 1, 3, Twenty));
        var empty = QueueModel.Forecast(new QueueLoad(0, Seconds(60), 2, 1, 0, Twenty));

        Assert.Equal(new QueueForecast(Seconds(120), 100, Saturated: false) { AverageSpeedOfAnswer = TimeSpan.Zero }, backlog);
        Assert.Equal(TimeSpan.Zero, empty.EstimatedWait);
        Assert.Equal(100, empty.ServiceLevelPercent);
    }

    [Fact]
    public void Zero_handle_time_means_instant_service()
    {
        var forecast = QueueModel.Forecast(new QueueLoad(5, TimeSpan.Zero, 1, 1, 10, Twenty));

        Assert.Equal(new QueueForecast(TimeSpan.Zero, 100, Saturated: false) { AverageSpeedOfAnswer = TimeSpan.Zero }, forecast);
    }

    [Fact]
    public void Invalid_loads_are_refused()
    {
        var valid = new QueueLoad(0.1, Seconds(60), 3, 1, 0, Twenty);
        Assert.Throws<ArgumentNullException>(() => QueueModel.Forecast(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueModel.Forecast(valid with { ArrivalsPerSecond = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueModel.Forecast(valid with { ArrivalsPerSecond = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueModel.Forecast(valid with { AverageHandleTime = Seconds(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueModel.Forecast(valid with { Agents = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueModel.Forecast(valid with { ConcurrencyPerAgent = -0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueModel.Forecast(valid with { Waiting = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueModel.Forecast(valid with { ServiceLevelThreshold = Seconds(-1) }));
    }

    private static readonly Gen<QueueLoad> GenLoad =
        Gen.Select(Gen.Double[0, 2], Gen.Int[0, 900], Gen.Int[0, 60], Gen.Int[1, 4], Gen.Int[0, 200], Gen.Int[0, 120])
            .Select((rate, aht, agents, concurrency, waiting, threshold) =>
                new QueueLoad(rate, Seconds(aht), agents, concurrency, waiting, Seconds(threshold)));

    // One tick of slack for the double → TimeSpan rounding; a millionth of a percent for the service level.
    private const long TickSlack = 1;
    private const double PercentSlack = 1e-6;

    [Fact]
    public void More_agents_never_lengthen_the_wait_nor_lower_the_service_level()
    {
        Gen.Select(GenLoad, Gen.Int[1, 20]).Sample((load, extra) =>
        {
            var before = QueueModel.Forecast(load);
            var after = QueueModel.Forecast(load with { Agents = load.Agents + extra });

            Assert.True(after.EstimatedWait.Ticks <= before.EstimatedWait.Ticks + TickSlack, $"wait {before.EstimatedWait} → {after.EstimatedWait}");
            Assert.True(after.ServiceLevelPercent >= before.ServiceLevelPercent - PercentSlack, $"SL {before.ServiceLevelPercent} → {after.ServiceLevelPercent}");
            Assert.True(before.Saturated || !after.Saturated, "adding agents cannot saturate a queue");
        });
    }

    [Fact]
    public void A_longer_backlog_never_shortens_the_wait_of_a_new_arrival()
    {
        Gen.Select(GenLoad, Gen.Int[1, 50]).Sample((load, more) =>
        {
            var before = QueueModel.Forecast(load);
            var after = QueueModel.Forecast(load with { Waiting = load.Waiting + more });

            Assert.True(after.EstimatedWait.Ticks >= before.EstimatedWait.Ticks - TickSlack, $"wait {before.EstimatedWait} → {after.EstimatedWait}");
        });
    }

    [Fact]
    public void Forecasts_stay_within_their_bounds()
    {
        GenLoad.Sample(load =>
        {
            var forecast = QueueModel.Forecast(load);

            Assert.InRange(forecast.ServiceLevelPercent, 0, 100);
            Assert.InRange(forecast.EstimatedWait, TimeSpan.Zero, QueueModel.MaximumEstimatedWait);
        });
    }
}
