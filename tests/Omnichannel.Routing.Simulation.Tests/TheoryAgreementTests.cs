using Omnichannel.Routing.Core;
using Omnichannel.Routing.Simulation.Engine;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Tests;

/// <summary>
/// The simulator against queueing theory: a single queue with Poisson arrivals, exponential handling and s agents is
/// an M/M/s queue, whose steady state Erlang C gives exactly. The engine's own <see cref="ErlangC"/> and
/// <see cref="QueueModel"/> (the supervisors' validate_only forecast) are the reference; with exponential patience
/// (M/M/s+M) the engine's <see cref="ErlangA"/> is.
/// </summary>
public class TheoryAgreementTests
{
    // 10 agents, 8 erlangs offered (160 calls an hour of 180 s): Pw = C(10, 8) ≈ 0.409, ASA ≈ 36.8 s.
    private const int Agents = 10;
    private const double CallsPerHour = 160;
    private const double HandleSeconds = 180;

    // 200 simulated hours, about 32,000 calls: the standard error of the waiting probability is then below 0.01 and
    // of the ASA a few percent, so these tolerances fail a wrong queue discipline or a lost agent, not chance.
    private const double Hours = 200;

    // The Erlang A day: as many erlangs as agents, which only abandonment keeps finite.
    private const double OverloadCallsPerHour = 200;
    private const double PatienceSeconds = 300;

    [Fact]
    public void The_waiting_probability_of_an_m_m_s_queue_matches_erlang_c_within_three_points()
    {
        // With a threshold of 0 s, service level is the share answered without waiting.
        var run = DaySimulation.Run(Scenarios.SingleQueue(Agents, CallsPerHour, HandleSeconds, Hours, serviceLevelSeconds: 0), seed: 11);

        var simulated = 1 - (run.Overall.ServiceLevelPercent!.Value / 100);
        var erlangC = ErlangC.ProbabilityOfWaiting(Agents, CallsPerHour / 3600 * HandleSeconds);
        Assert.InRange(simulated, erlangC - 0.03, erlangC + 0.03);
    }

    [Fact]
    public void Average_speed_of_answer_and_service_level_match_the_validate_only_forecast()
    {
        var run = DaySimulation.Run(Scenarios.SingleQueue(Agents, CallsPerHour, HandleSeconds, Hours, serviceLevelSeconds: 20), seed: 12);

        var forecast = QueueModel.Forecast(new QueueLoad(CallsPerHour / 3600, TimeSpan.FromSeconds(HandleSeconds), Agents, 1, 0, TimeSpan.FromSeconds(20)));
        var asa = run.Overall.AverageSpeedOfAnswer.TotalSeconds;
        var expectedAsa = forecast.AverageSpeedOfAnswer!.Value.TotalSeconds;
        Assert.InRange(asa, expectedAsa * 0.85, expectedAsa * 1.15);
        Assert.InRange(run.Overall.ServiceLevelPercent!.Value, forecast.ServiceLevelPercent - 3, forecast.ServiceLevelPercent + 3);
    }

    [Fact]
    public void A_queue_with_too_few_agents_is_far_from_the_forecast_so_the_agreement_is_not_a_given()
    {
        // The same traffic on 9 agents: Erlang C for 10 agents must no longer match.
        var run = DaySimulation.Run(Scenarios.SingleQueue(Agents - 1, CallsPerHour, HandleSeconds, Hours, serviceLevelSeconds: 20), seed: 12);

        var forecast = QueueModel.Forecast(new QueueLoad(CallsPerHour / 3600, TimeSpan.FromSeconds(HandleSeconds), Agents, 1, 0, TimeSpan.FromSeconds(20)));
        Assert.True(run.Overall.AverageSpeedOfAnswer.TotalSeconds > forecast.AverageSpeedOfAnswer!.Value.TotalSeconds * 1.5);
    }

    [Fact]
    public void Waiting_abandonment_and_speed_of_answer_with_exponential_patience_match_erlang_a()
    {
        // 10 agents offered 10 erlangs (200 calls an hour of 180 s), mean patience 300 s: no steady state without
        // abandonment, Erlang A's Pw ≈ 0.599, P(abandon) ≈ 0.109, ASA ≈ 31.2 s. Over about 40,000 calls the tolerances
        // (3 points, 2 points, 15%) are several standard errors wide yet far narrower than the gap to 11 agents below.
        var run = DaySimulation.Run(Scenarios.SingleQueue(Agents, OverloadCallsPerHour, HandleSeconds, Hours, serviceLevelSeconds: 0, DistributionSpec.Exponential(PatienceSeconds)), seed: 13);

        var erlangA = ErlangA.Evaluate(Agents, OverloadCallsPerHour / 3600, TimeSpan.FromSeconds(HandleSeconds), TimeSpan.FromSeconds(PatienceSeconds));
        var waited = 1 - (run.Overall.ServiceLevelPercent!.Value / 100);
        var abandoned = run.Overall.AbandonRatePercent!.Value / 100;
        Assert.InRange(waited, erlangA.ProbabilityOfWaiting - 0.03, erlangA.ProbabilityOfWaiting + 0.03);
        Assert.InRange(abandoned, erlangA.ProbabilityOfAbandoning - 0.02, erlangA.ProbabilityOfAbandoning + 0.02);
        var asa = run.Overall.AverageSpeedOfAnswer.TotalSeconds;
        Assert.InRange(asa, erlangA.AverageSpeedOfAnswer.TotalSeconds * 0.85, erlangA.AverageSpeedOfAnswer.TotalSeconds * 1.15);
    }

    [Fact]
    public void One_agent_more_than_the_erlang_a_reference_is_outside_its_tolerances()
    {
        // The same day on 11 agents: Erlang A for 10 must no longer match, so the agreement above is not a given.
        var run = DaySimulation.Run(Scenarios.SingleQueue(Agents + 1, OverloadCallsPerHour, HandleSeconds, Hours, serviceLevelSeconds: 0, DistributionSpec.Exponential(PatienceSeconds)), seed: 13);

        var erlangA = ErlangA.Evaluate(Agents, OverloadCallsPerHour / 3600, TimeSpan.FromSeconds(HandleSeconds), TimeSpan.FromSeconds(PatienceSeconds));
        Assert.True(run.Overall.AbandonRatePercent!.Value / 100 < erlangA.ProbabilityOfAbandoning - 0.02);
        Assert.True(run.Overall.AverageSpeedOfAnswer.TotalSeconds < erlangA.AverageSpeedOfAnswer.TotalSeconds * 0.85);
    }
}
