using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// The routing grains' references, made once per grain factory and kept. Orleans' <c>GetGrain</c> resolves the grain
/// interface's type through its attributes on every call, which under load was 5% of the host's CPU; a reference is
/// immutable and safe to share, so the hot paths reuse it. Kept per factory, since a reference carries the runtime
/// that made it (several silos can share a process in tests), and bounded: past the capacity a kind starts afresh.
/// </summary>
public static class GrainReferences
{
    /// <summary>References kept per grain kind and factory at most.</summary>
    public const int Capacity = 50_000;

    private static readonly ConditionalWeakTable<IGrainFactory, Kept> PerFactory = [];

    public static IAgentGrain Agent(this IGrainFactory grains, string agentId) => KeptBy(grains).Agents.Get(grains, agentId);

    public static IQueueGrain Queue(this IGrainFactory grains, string queueId) => KeptBy(grains).Queues.Get(grains, queueId);

    public static IInteractionGrain Interaction(this IGrainFactory grains, string interactionId) => KeptBy(grains).Interactions.Get(grains, interactionId);

    public static ICustomerGrain Customer(this IGrainFactory grains, string customerId) => KeptBy(grains).Customers.Get(grains, customerId);

    private static Kept KeptBy(IGrainFactory grains) => PerFactory.GetValue(grains, _ => new Kept());

    private sealed class Kept
    {
        public References<IAgentGrain> Agents { get; } = new();

        public References<IQueueGrain> Queues { get; } = new();

        public References<IInteractionGrain> Interactions { get; } = new();

        public References<ICustomerGrain> Customers { get; } = new();
    }

    private sealed class References<T>
        where T : IGrainWithStringKey
    {
        private readonly ConcurrentDictionary<string, T> _kept = new(StringComparer.Ordinal);

        public T Get(IGrainFactory grains, string key)
        {
            if (_kept.TryGetValue(key, out var kept))
            {
                return kept;
            }

            var made = grains.GetGrain<T>(key);
            if (_kept.Count >= Capacity)
            {
                _kept.Clear();
            }

            _kept.TryAdd(key, made);
            return made;
        }
    }
}
