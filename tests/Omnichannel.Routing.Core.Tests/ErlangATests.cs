namespace Omnichannel.Routing.Core.Tests;

public class ErlangATests
{
    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public void One_agent_whose_customers_are_as_patient_as_calls_are_long_behaves_like_an_infinite_server_queue()
    {
        // λ = μ = θ = 1: every customer leaves at rate 1 whether served or waiting, so the number present is
        // Poisson(1). An arrival waits when it finds anyone: 1 − e⁻¹; it abandons at rate θ·E[queue] / λ = E[(N − 1)⁺]
        // = E[N] − 1 + P(N = 0) = e⁻¹; its mean wait is E[queue] / λ = e⁻¹ seconds.
        var figures = ErlangA.Evaluate(1, 1, Seconds(1), Seconds(1));

        Assert.Equal(1 - Math.Exp(-1), figures.ProbabilityOfWaiting, 12);
        Assert.Equal(Math.Exp(-1), figures.ProbabilityOfAbandoning, 12);
        Assert.Equal(Math.Exp(-1), figures.AverageWait.TotalSeconds, 6);
    }

    [Theory]
    // Reference values from the product form summed with 50-digit decimals (mpmath): π_n ∝ Aⁿ/n! up to s, then
    // π_{s+j} ∝ Π λ/(sμ + kθ), 4,000 terms; abandonment from θ·E[queue]/λ, ASA from each state's answer chance and wait.
    [InlineData(10, 160.0, 180, 120, 0.262407172597647, 0.0621056394756588, 6.25703223293548, 7.45267673707906)]
    [InlineData(3, 120.0, 60, 30, 0.291800445299784, 0.137379599230195, 2.6352747471683, 4.12138797690584)]
    [InlineData(10, 200.0, 180, 300, 0.599433318028138, 0.109437999558502, 31.2394246792099, 32.8313998675506)]
    public void Erlang_a_matches_the_product_form_summed_in_high_precision(
        int agents, double callsPerHour, double handleSeconds, double patienceSeconds, double waiting, double abandoning, double asaSeconds, double waitSeconds)
    {
        var figures = ErlangA.Evaluate(agents, callsPerHour / 3600, Seconds(handleSeconds), Seconds(patienceSeconds));

        Assert.Equal(waiting, figures.ProbabilityOfWaiting, 9);
        Assert.Equal(abandoning, figures.ProbabilityOfAbandoning, 9);
        Assert.Equal(asaSeconds, figures.AverageSpeedOfAnswer.TotalSeconds, 5);
        Assert.Equal(waitSeconds, figures.AverageWait.TotalSeconds, 5);
    }

    [Fact]
    public void Customers_who_almost_never_give_up_make_it_erlang_c()
    {
        // 10 agents, 8 erlangs, patience of about 30 years: the waiting probability and ASA of Erlang C.
        var figures = ErlangA.Evaluate(10, 8.0 / 180, Seconds(180), TimeSpan.FromDays(10_000));

        var erlangC = ErlangC.ProbabilityOfWaiting(10, 8);
        Assert.Equal(erlangC, figures.ProbabilityOfWaiting, 5);
        Assert.Equal(erlangC * 180 / (10 - 8), figures.AverageSpeedOfAnswer.TotalSeconds, 2);
        Assert.True(figures.ProbabilityOfAbandoning < 1e-5);
    }

    [Fact]
    public void Abandonments_balance_the_queue_that_patience_empties()
    {
        // Rate balance: customers leave the queue by abandoning at θ per waiting customer, so λ·P(abandon) = θ·E[queue],
        // and by Little E[queue] = λ·E[wait]: P(abandon) = E[wait] / mean patience. The code computes the two sides
        // by different sums (each arrival's answer chance; the queue length).
        foreach (var (agents, erlangs, patience) in new[] { (5, 4.0, 60.0), (50, 55.0, 200.0), (200, 190.0, 90.0), (1, 3.0, 10.0) })
        {
            var figures = ErlangA.Evaluate(agents, erlangs / 300, Seconds(300), Seconds(patience));
            // 7 places: the wait is a TimeSpan, exact to 100 ns.
            Assert.Equal(figures.AverageWait.TotalSeconds / patience, figures.ProbabilityOfAbandoning, 7);
        }
    }

    [Fact]
    public void It_has_a_steady_state_at_any_load_where_erlang_c_has_none()
    {
        // Twice the traffic the agents can take: about half the customers must abandon.
        var figures = ErlangA.Evaluate(100, 200.0 / 300, Seconds(300), Seconds(60));

        Assert.True(figures.ProbabilityOfWaiting > 0.999);
        Assert.InRange(figures.ProbabilityOfAbandoning, 0.49, 0.52);
        Assert.True(double.IsFinite(figures.AverageSpeedOfAnswer.TotalSeconds));
    }

    [Fact]
    public void Many_agents_far_past_capacity_keep_every_figure_finite()
    {
        var figures = ErlangA.Evaluate(5_000, 50_000.0 / 300, Seconds(300), Seconds(600));

        Assert.InRange(figures.ProbabilityOfAbandoning, 0.89, 0.91);
        Assert.InRange(figures.ProbabilityOfWaiting, 0.999, 1.0);
        Assert.Equal(figures.AverageWait.TotalSeconds / 600, figures.ProbabilityOfAbandoning, 6);
    }

    [Fact]
    public void No_agents_means_everyone_waits_and_gives_up_after_their_patience()
    {
        var figures = ErlangA.Evaluate(0, 0.1, Seconds(180), Seconds(45));

        Assert.Equal(1, figures.ProbabilityOfWaiting, 9);
        Assert.Equal(1, figures.ProbabilityOfAbandoning, 9);
        Assert.Equal(45, figures.AverageWait.TotalSeconds, 6);
        Assert.Equal(TimeSpan.Zero, figures.AverageSpeedOfAnswer);
    }

    [Fact]
    public void More_agents_never_raise_waiting_or_abandonment()
    {
        var previous = ErlangA.Evaluate(1, 10.0 / 180, Seconds(180), Seconds(60));
        for (var agents = 2; agents <= 30; agents++)
        {
            var next = ErlangA.Evaluate(agents, 10.0 / 180, Seconds(180), Seconds(60));
            Assert.True(next.ProbabilityOfWaiting <= previous.ProbabilityOfWaiting + 1e-12, $"{agents} agents");
            Assert.True(next.ProbabilityOfAbandoning <= previous.ProbabilityOfAbandoning + 1e-12, $"{agents} agents");
            previous = next;
        }
    }

    [Fact]
    public void Nonsense_inputs_are_refused_and_no_arrivals_is_idle()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangA.Evaluate(-1, 0.1, Seconds(180), Seconds(60)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangA.Evaluate(1, double.NaN, Seconds(180), Seconds(60)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangA.Evaluate(1, 0.1, TimeSpan.Zero, Seconds(60)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangA.Evaluate(1, 0.1, Seconds(180), TimeSpan.Zero));
        Assert.Equal(ErlangAFigures.Idle, ErlangA.Evaluate(3, 0, Seconds(180), Seconds(60)));
    }
}
