using BenchmarkDotNet.Attributes;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Benchmarks;

/// <summary>
/// One routing decision (contract §3.2, §9): choosing the agent for a new interaction among N signed-in members of a
/// queue, by policy. The target is flat, O(log n) or better, from 10 to 100,000 candidates.
/// </summary>
[MemoryDiagnoser]
public class AgentSelectionBenchmarks
{
    private AgentPool _pool = null!;
    private SkillDemand _demand = null!;
    private AgentAvailability _next = null!;
    private AgentAvailability _back = null!;

    [Params(10, 100, 1_000, 10_000, 100_000)]
    public int Agents { get; set; }

    [Params(SelectionPolicy.LongestIdle, SelectionPolicy.BestSkill)]
    public SelectionPolicy Policy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var cohorts = CoreFixtures.AllCohorts();
        _pool = new AgentPool(Policy);
        for (var i = 0; i < Agents; i++)
        {
            _pool.Upsert(CoreFixtures.Agent(i, cohorts));
        }

        _demand = CoreFixtures.Demand(1);
        var chosen = _pool.SelectFor("chat", _demand) ?? throw new InvalidOperationException("no agent selected");

        // The snapshot the chosen agent publishes once it holds one more chat, and the one after it finishes.
        _next = chosen with { Version = chosen.Version + 1, Load = chosen.Load.Add("chat"), IdleSince = CoreFixtures.Start };
        _back = chosen with { Version = chosen.Version + 2, Load = chosen.Load, IdleSince = CoreFixtures.Start.AddSeconds(1) };
    }

    /// <summary>The decision alone: the best agent for a chat needing english and a product skill.</summary>
    [Benchmark]
    public AgentAvailability? SelectFor() => _pool.SelectFor("chat", _demand);

    /// <summary>A decision and what follows it in the queue: the agent's new snapshot re-indexed, then its snapshot after the work.</summary>
    [Benchmark]
    public AgentAvailability? SelectAndReindex()
    {
        var agent = _pool.SelectFor("chat", _demand);
        _pool.Upsert(_next);
        _pool.Upsert(_back);

        // Versions only grow: the next round's snapshots must be newer than this one's.
        _next = _next with { Version = _back.Version + 1 };
        _back = _back with { Version = _next.Version + 1 };
        return agent;
    }
}
