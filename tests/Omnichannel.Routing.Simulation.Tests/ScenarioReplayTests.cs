using Omnichannel.Routing.Simulation.Engine;
using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Tests;

public sealed class ScenarioReplayTests : IDisposable
{
    private static readonly DateTimeOffset From = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"arrivals-{Guid.NewGuid():N}.csv");

    public ScenarioReplayTests()
    {
        // As `omnichannel report --arrivals` writes it: three calls to q, one chat to q, one call to a queue the scenario lacks, one after the range.
        File.WriteAllLines(_file,
        [
            "time,queue,channel",
            "2026-11-23T09:00:05Z,q,voice",
            "2026-11-23T09:01:00Z,q,voice",
            "2026-11-23T09:02:30Z,q,chat",
            "2026-11-23T09:03:00Z,q,voice",
            "2026-11-23T09:04:00Z,elsewhere,voice",
            "2026-11-23T10:30:00Z,q,voice",
        ]);
    }

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void A_replayed_day_runs_exactly_the_real_arrivals_of_the_range_under_every_configuration()
    {
        var scenario = Scenarios.SingleQueue(agents: 2, callsPerHour: 500, meanHandleSeconds: 60, hours: 8);
        scenario.Variants = [new VariantSpec { Name = "least-occupied", Policy = "least-occupied" }];

        var replayed = ScenarioReplay.Of(scenario, _file, From, From.AddHours(1));

        Assert.Equal("2026-11-23T09:00:00Z", replayed.Start);
        Assert.Equal(1, replayed.Hours);
        foreach (var (_, configuration) in ScenarioVariants.WithVariants(replayed))
        {
            // The scenario's own 500 calls an hour are gone: only the range's three calls to q on voice arrive.
            Assert.Equal(3, DaySimulation.Run(configuration, seed: 1).Arrivals);
        }
    }

    [Fact]
    public void Real_arrivals_no_stream_of_the_scenario_takes_are_named()
    {
        var scenario = Scenarios.SingleQueue(agents: 2, callsPerHour: 10, meanHandleSeconds: 60, hours: 1);

        Assert.Equal(["elsewhere/voice", "q/chat"], ScenarioReplay.Unmatched(scenario, _file));
    }

    [Fact]
    public void The_readme_s_demo_scenario_replays_under_each_of_its_configurations()
    {
        var scenario = ScenarioLoader.Load(Path.Combine(AppContext.BaseDirectory, "examples", "demo-day.yaml"));
        File.AppendAllLines(_file, ["2026-11-23T09:05:00Z,support,chat", "2026-11-23T09:06:00Z,sales,voice"]);

        var replayed = ScenarioReplay.Of(scenario, _file, From, From.AddHours(1));

        Assert.Equal(3, ScenarioVariants.WithVariants(replayed).Count);
        Assert.All(ScenarioVariants.WithVariants(replayed), c => Assert.Equal(2, DaySimulation.Run(c.Scenario, seed: 1).Arrivals));
    }

    [Fact]
    public void A_range_that_ends_before_it_starts_is_refused()
    {
        var scenario = Scenarios.SingleQueue(agents: 2, callsPerHour: 10, meanHandleSeconds: 60, hours: 1);

        Assert.Throws<ScenarioException>(() => ScenarioReplay.Of(scenario, _file, From, From));
    }
}
