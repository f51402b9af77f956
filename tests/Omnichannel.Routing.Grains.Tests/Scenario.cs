using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>
/// Builds queues, agents and interactions with ids unique to one test, and waits for conditions (never for a fixed
/// time) through the grains' own state.
/// </summary>
public sealed class Scenario(IClusterClient client)
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);
    private static readonly Actor Admin = new(ActorKind.Admin, "test");
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public IClusterClient Client => client;

    public string Id(string name) => $"{name}-{_suffix}";

    public async Task<string> QueueAsync(
        string name,
        SelectionPolicy policy = SelectionPolicy.LongestIdle,
        TimeSpan? offerTimeout = null,
        double agingRate = EffectivePriority.DefaultAgingRate,
        string[]? channels = null,
        RelaxationStepConfig[]? relaxation = null,
        OverflowConfig? overflow = null,
        int maxSize = 0,
        bool closed = false,
        TimeSpan? wrapUp = null,
        int shards = 1)
    {
        var id = Id(name);
        await new QueueShards(client).ConfigureAsync(
            new QueueConfig(
                id,
                name,
                [.. channels ?? ["voice", "chat", "email"]],
                policy,
                ServiceLevelConfig.Default,
                [.. relaxation ?? []],
                overflow,
                maxSize,
                closed,
                offerTimeout ?? TimeSpan.FromMinutes(5),
                wrapUp,
                agingRate,
                PreferActiveAgent: true,
                shards),
            Admin);
        return id;
    }

    public async Task<string> AgentAsync(string name, string[] queueIds, CapacityConfig capacity, ImmutableDictionary<string, int>? skills = null, bool signIn = true)
    {
        var id = Id(name);
        var agent = client.GetGrain<IAgentGrain>(id);
        await agent.Define(new AgentConfig(id, name, skills ?? ImmutableDictionary<string, int>.Empty, capacity, [.. queueIds]), Admin);
        if (signIn)
        {
            await agent.SignIn(Presence.Available);
        }

        return id;
    }

    public IAgentGrain Agent(string agentId) => client.GetGrain<IAgentGrain>(agentId);

    public IInteractionGrain Interaction(string interactionId) => client.GetGrain<IInteractionGrain>(interactionId);

    public async Task<string> RouteAsync(
        string queueId,
        string channel = "chat",
        int priority = 0,
        RequirementConfig[]? skills = null,
        string? customer = null,
        string? preferredAgent = null,
        TimeSpan preferredWait = default,
        ImmutableDictionary<string, string>? context = null,
        string? interactionId = null)
    {
        var id = interactionId ?? Guid.NewGuid().ToString("N");
        await Interaction(id).Route(new RouteCommand(
            null,
            customer ?? Id("customer-" + id[..6]),
            channel,
            queueId,
            priority,
            [.. skills ?? []],
            [],
            context ?? ImmutableDictionary<string, string>.Empty,
            preferredAgent,
            PreferLastAgent: false,
            preferredWait,
            new Actor(ActorKind.Frontend, "test")));
        return id;
    }

    public async Task<InteractionSnapshot> SnapshotAsync(string interactionId) =>
        await Interaction(interactionId).GetSnapshot() ?? throw new InvalidOperationException($"{interactionId} does not exist");

    public async Task<AgentStatusView> StatusAsync(string agentId) => (await Agent(agentId).GetDetails())!.Status;

    public Task<InteractionSnapshot> WaitForAsync(string interactionId, Func<InteractionSnapshot, bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(() => SnapshotAsync(interactionId), condition, $"{interactionId} {what}", timeout ?? DefaultWait);

    public Task<AgentStatusView> WaitForAgentAsync(string agentId, Func<AgentStatusView, bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(() => StatusAsync(agentId), condition, $"{agentId} {what}", timeout ?? DefaultWait);

    public Task<InteractionSnapshot> WaitForOfferAsync(string interactionId, string? toAgent = null) =>
        WaitForAsync(interactionId, s => s.State == InteractionState.Offered && (toAgent is null || s.AgentId == toAgent), toAgent is null ? "offered" : $"offered to {toAgent}");
}

/// <summary>Canned capacity profiles.</summary>
public static class Capacities
{
    /// <summary>The contract's §2 example: 100 units; voice 1 (100, exclusive), chat 3 (30 each), email 5 (20 each).</summary>
    public static CapacityConfig Blended { get; } = new(100, [
        new ChannelLimitConfig("voice", 1, 100, true),
        new ChannelLimitConfig("chat", 3, 30, false),
        new ChannelLimitConfig("email", 5, 20, false),
    ]);

    public static CapacityConfig Chats(int max) => new(100, [new ChannelLimitConfig("chat", max, 100 / max, false)]);
}

/// <summary>Waits until a condition holds, polling state; fails with what was last seen.</summary>
public static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public static async Task<T> HoldsAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await read();
            if (condition(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {what} within {timeout}; last seen: {last}");
            }

            await Task.Delay(Poll);
        }
    }
}
