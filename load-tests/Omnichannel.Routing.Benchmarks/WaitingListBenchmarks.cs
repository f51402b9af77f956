using System.Collections.Frozen;
using BenchmarkDotNet.Attributes;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Benchmarks;

/// <summary>
/// Interaction selection within one queue (contract §3.3): an agent that gained capacity asks for the highest effective
/// priority interaction it is eligible for, among N waiting in B (channel, skill demand) buckets.
/// </summary>
[MemoryDiagnoser]
public class WaitingListBenchmarks
{
    private static readonly string[] Channels = ["chat", "email", "voice"];
    private WaitingList _list = null!;
    private AgentAvailability _agent = null!;
    private WaitingInteraction _probe = null!;

    [Params(10, 1_000, 100_000)]
    public int Waiting { get; set; }

    [Params(1, 16, 64)]
    public int Buckets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _list = new WaitingList(EffectivePriority.DefaultAgingRate);
        var demands = Enumerable.Range(0, Buckets).Select(b => new SkillDemand(
            [new SkillRequirement("english", 1 + (b % 3)), new SkillRequirement($"product-{b / 3}", 1 + (b % 2))])).ToArray();
        var none = FrozenSet<string>.Empty;
        for (var i = 0; i < Waiting; i++)
        {
            var demand = demands[i % Buckets];
            _list.Add(new WaitingInteraction(
                $"interaction-{i:D6}",
                Channels[i % Buckets % Channels.Length],
                BasePriority: i % 10 == 0 ? 50 : 0,
                Arrival: CoreFixtures.Start.AddMilliseconds(i * 13),
                Sequence: i,
                demand,
                demand,
                RelaxationStepsApplied: 0,
                none));
        }

        // An agent able to take every bucket: the worst case, every bucket's head is compared.
        var skills = new SkillSet(new[] { new KeyValuePair<string, int>("english", 10) }
            .Concat(Enumerable.Range(0, (Buckets / 3) + 1).Select(p => new KeyValuePair<string, int>($"product-{p}", 10))));
        var profile = new CapacityProfile(100, [new ChannelLimit("chat", 3, 20, false), new ChannelLimit("email", 3, 20, false), new ChannelLimit("voice", 1, 40, false)]);
        _agent = new AgentAvailability("agent-1", 1, true, Presence.Available, false, skills, profile, AgentLoad.Empty, CoreFixtures.Start, null);
        _probe = _list.BestFor(_agent) ?? throw new InvalidOperationException("nothing selected");
    }

    /// <summary>The decision alone.</summary>
    [Benchmark]
    public WaitingInteraction? BestFor() => _list.BestFor(_agent);

    /// <summary>A decision and what follows it: the chosen interaction leaves the list, then (for the next round) comes back.</summary>
    [Benchmark]
    public WaitingInteraction? BestForThenRemove()
    {
        var best = _list.BestFor(_agent);
        _list.Remove(_probe.InteractionId);
        _list.Add(_probe);
        return best;
    }

    /// <summary>The queue position a front-end is told: a rank among the channel's waiting interactions.</summary>
    [Benchmark]
    public int PositionOf() => _list.PositionOf(_probe.InteractionId);
}
