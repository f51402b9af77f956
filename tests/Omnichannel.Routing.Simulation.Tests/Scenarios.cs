using Omnichannel.Routing.Simulation.Scenarios;

namespace Omnichannel.Routing.Simulation.Tests;

/// <summary>Small scenarios the tests build in code.</summary>
internal static class Scenarios
{
    /// <summary>One queue, one voice channel, <paramref name="agents"/> single-interaction agents, Poisson arrivals, exponential handling (M/M/s).</summary>
    public static Scenario SingleQueue(int agents, double callsPerHour, double meanHandleSeconds, double hours, double serviceLevelSeconds = 20, DistributionSpec? patience = null) => new()
    {
        Name = "M/M/s",
        Hours = hours,
        IntervalMinutes = 60,
        ServiceLevelSeconds = serviceLevelSeconds,
        Channels = [new ChannelSpec { Name = "voice", Handle = DistributionSpec.Exponential(meanHandleSeconds), Patience = patience }],
        Queues = [new QueueSpec { Id = "q" }],
        Agents = [new AgentGroupSpec { Name = "a", Count = agents, Queues = ["q"], Capacity = [new ChannelLimitSpec { Channel = "voice", Max = 1, Cost = 1, Exclusive = true }] }],
        Arrivals = [new ArrivalSpec { Queue = "q", Channel = "voice", PerHour = callsPerHour }],
    };

    public static string Example => Path.Combine(AppContext.BaseDirectory, "examples", "example-centre.yaml");
}
