using BenchmarkDotNet.Attributes;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Benchmarks;

/// <summary>
/// Interaction selection across queues (contract §3.3): an agent member of Q queues compares each queue's best
/// candidate by effective priority (base priority plus aging), ties by arrival.
/// </summary>
[MemoryDiagnoser]
public class InteractionSelectionBenchmarks
{
    private QueueCandidate[] _candidates = [];
    private DateTimeOffset _now;

    [Params(1, 2, 4, 8, 16, 32)]
    public int Queues { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _now = CoreFixtures.Start.AddMinutes(5);
        _candidates = Enumerable.Range(0, Queues)
            .Select(q => new QueueCandidate($"queue-{q:D2}", $"interaction-{q:D4}", q % 3 == 0 ? 50 : 0, 1 + (q % 4), CoreFixtures.Start.AddSeconds(q * 7 % 60), q))
            .ToArray();
    }

    [Benchmark]
    public QueueCandidate? Best() => InteractionSelection.Best(_candidates, _now);
}
