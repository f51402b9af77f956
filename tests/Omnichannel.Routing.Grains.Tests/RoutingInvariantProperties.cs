using System.Collections.Concurrent;
using CsCheck;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>
/// Contract §4 under random interleavings: sign-in, sign-out, presence, route, accept, reject, offer timeout, complete,
/// wrap-up end and cancel, run a few at a time concurrently against the real grains, never overfill an agent nor
/// put one interaction with two agents; once things settle, every routed interaction is accounted for and agrees
/// with the agent that holds it.
/// </summary>
[Collection(SharedRoutingCluster.Name)]
public sealed class RoutingInvariantProperties(RoutingCluster cluster)
{
    private const int Agents = 3;
    private const int Queues = 2;
    private static readonly string[] Channels = ["voice", "chat", "email"];
    private static readonly TimeSpan OfferTimeout = TimeSpan.FromMilliseconds(250);

    private enum Kind
    {
        SignIn,
        SignOut,
        Away,
        Available,
        Route,
        Accept,
        Reject,
        Complete,
        EndWrapUp,
        Cancel,
        LetOffersTimeOut,
    }

    private sealed record Op(Kind Kind, int Agent, int Queue, int Channel, int Pick);

    private static readonly Gen<Op> GenOp =
        Gen.Select(
            Gen.Frequency(
                (3, Gen.Const(Kind.SignIn)),
                (1, Gen.Const(Kind.SignOut)),
                (1, Gen.Const(Kind.Away)),
                (2, Gen.Const(Kind.Available)),
                (6, Gen.Const(Kind.Route)),
                (5, Gen.Const(Kind.Accept)),
                (2, Gen.Const(Kind.Reject)),
                (4, Gen.Const(Kind.Complete)),
                (2, Gen.Const(Kind.EndWrapUp)),
                (1, Gen.Const(Kind.Cancel)),
                (1, Gen.Const(Kind.LetOffersTimeOut))),
            Gen.Int[0, Agents - 1],
            Gen.Int[0, Queues - 1],
            Gen.Int[0, Channels.Length - 1],
            Gen.Int[0, 1000],
            (kind, agent, queue, channel, pick) => new Op(kind, agent, queue, channel, pick));

    private static readonly Gen<CapacityConfig> GenCapacity =
        Gen.Select(Gen.Int[1, 3], Gen.Int[0, 2], Gen.Bool, (chats, emails, voice) =>
        {
            var limits = new List<ChannelLimitConfig> { new("chat", chats, 30, false) };
            if (emails > 0)
            {
                limits.Add(new ChannelLimitConfig("email", emails, 20, false));
            }

            if (voice)
            {
                limits.Add(new ChannelLimitConfig("voice", 1, 100, true));
            }

            return new CapacityConfig(100, [.. limits]);
        });

    /// <summary>Up to three operations started together, so grains race for real.</summary>
    private static readonly Gen<Op[]> GenBatch = GenOp.Array[1, 3];

    [Fact]
    public async Task Random_interleavings_never_overfill_an_agent_nor_assign_an_interaction_twice()
    {
        await Gen.Select(GenCapacity.Array[Agents], GenBatch.Array[4, 14])
            .SampleAsync(async (capacities, batches) => await RunAsync(capacities, batches, shards: 1), iter: 25, threads: 1);
    }

    [Fact]
    public async Task Random_interleavings_on_sharded_queues_never_overfill_an_agent_nor_assign_an_interaction_twice()
    {
        // The same operations on queues split three ways: agents pull from every shard and take pushes from each.
        await Gen.Select(GenCapacity.Array[Agents], GenBatch.Array[4, 14])
            .SampleAsync(async (capacities, batches) => await RunAsync(capacities, batches, shards: 3), iter: 25, threads: 1);
    }

    private async Task RunAsync(CapacityConfig[] capacities, Op[][] batches, int shards)
    {
        var s = new Scenario(cluster.Client);
        var queues = new string[Queues];
        for (var q = 0; q < Queues; q++)
        {
            queues[q] = await s.QueueAsync($"prop-q{q}", offerTimeout: OfferTimeout, wrapUp: q == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(150), shards: shards);
        }

        var agents = new string[Agents];
        for (var a = 0; a < Agents; a++)
        {
            agents[a] = await s.AgentAsync($"prop-a{a}", a == 0 ? queues : [queues[a % Queues]], capacities[a], signIn: false);
        }

        var routed = new ConcurrentBag<string>();
        foreach (var batch in batches)
        {
            await Task.WhenAll(batch.Select(op => ApplyAsync(s, op, agents, queues, routed)));
            await AssertCapacityAndSingleAssignmentAsync(s, agents, capacities);
        }

        // Let in-flight proposals, timeouts and wrap-ups settle, then everything must agree.
        await Eventually.HoldsAsync(
            () => ConsistencyProblemsAsync(s, agents, routed),
            problems => problems.Count == 0,
            "agents and interactions to agree",
            TimeSpan.FromSeconds(10));
        await AssertCapacityAndSingleAssignmentAsync(s, agents, capacities);
    }

    private static async Task ApplyAsync(Scenario s, Op op, string[] agents, string[] queues, ConcurrentBag<string> routed)
    {
        var agentId = agents[op.Agent];
        var agent = s.Agent(agentId);
        try
        {
            switch (op.Kind)
            {
                case Kind.SignIn:
                    await agent.SignIn(Presence.Available);
                    break;
                case Kind.SignOut:
                    await agent.SignOut("property test");
                    break;
                case Kind.Away:
                    await agent.SetPresence(Presence.Away);
                    break;
                case Kind.Available:
                    await agent.SetPresence(Presence.Available);
                    break;
                case Kind.Route:
                    routed.Add(await s.RouteAsync(queues[op.Queue], Channels[op.Channel], priority: op.Pick % 10));
                    break;
                case Kind.Accept:
                    if (await PickWorkAsync(s, agentId, WorkPhase.Offered, op.Pick) is { } offered)
                    {
                        await agent.Accept(offered);
                    }

                    break;
                case Kind.Reject:
                    if (await PickWorkAsync(s, agentId, WorkPhase.Offered, op.Pick) is { } rejected)
                    {
                        await agent.Reject(rejected, "property test");
                    }

                    break;
                case Kind.Complete:
                    if (await PickWorkAsync(s, agentId, WorkPhase.Connected, op.Pick) is { } connected)
                    {
                        await agent.Complete(connected, "done");
                    }

                    break;
                case Kind.EndWrapUp:
                    if (await PickWorkAsync(s, agentId, WorkPhase.WrapUp, op.Pick) is { } wrapping)
                    {
                        await agent.EndWrapUp(wrapping);
                    }

                    break;
                case Kind.Cancel:
                    var ids = routed.ToArray();
                    if (ids.Length > 0)
                    {
                        await s.Interaction(ids[op.Pick % ids.Length]).Cancel("customer left", new Actor(ActorKind.Frontend, "property"));
                    }

                    break;
                case Kind.LetOffersTimeOut:
                    await Task.Delay(OfferTimeout * 1.5);
                    break;
            }
        }
        catch (RoutingException e) when (e.Code is RoutingErrorCode.FailedPrecondition)
        {
            // Racing operations legitimately find the state moved on (an offer expired, a call ended, an agent
            // signed out): the engine refuses, and the invariants below must still hold.
        }
    }

    private static async Task<string?> PickWorkAsync(Scenario s, string agentId, WorkPhase phase, int pick)
    {
        var work = (await s.StatusAsync(agentId)).Work.Where(w => w.Phase == phase).ToList();
        return work.Count == 0 ? null : work[pick % work.Count].InteractionId;
    }

    private static async Task AssertCapacityAndSingleAssignmentAsync(Scenario s, string[] agents, CapacityConfig[] capacities)
    {
        var holders = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var a = 0; a < agents.Length; a++)
        {
            var status = await s.StatusAsync(agents[a]);
            var load = AgentLoad.From(status.Work.Select(w => new KeyValuePair<string, int>(w.Channel, 1)));
            Assert.True(capacities[a].ToProfile().Admits(load), $"{agents[a]} holds {load} beyond its profile {capacities[a].ToProfile()}");
            Assert.True(status.UnitsUsed <= status.UnitsTotal, $"{agents[a]} uses {status.UnitsUsed} of {status.UnitsTotal} units");
            foreach (var w in status.Work)
            {
                Assert.False(holders.TryGetValue(w.InteractionId, out var other), $"{w.InteractionId} is held by {other} and {agents[a]} at once");
                holders[w.InteractionId] = agents[a];
            }
        }
    }

    private static async Task<List<string>> ConsistencyProblemsAsync(Scenario s, string[] agents, IEnumerable<string> routed)
    {
        var problems = new List<string>();
        var held = new Dictionary<string, (string Agent, WorkPhase Phase)>(StringComparer.Ordinal);
        foreach (var agentId in agents)
        {
            foreach (var w in (await s.StatusAsync(agentId)).Work)
            {
                held[w.InteractionId] = (agentId, w.Phase);
            }
        }

        foreach (var id in routed.Distinct())
        {
            var i = await s.SnapshotAsync(id);
            var expected = i.State switch
            {
                InteractionState.Offered => WorkPhase.Offered,
                InteractionState.Connected => WorkPhase.Connected,
                InteractionState.WrapUp => WorkPhase.WrapUp,
                _ => (WorkPhase?)null,
            };
            held.TryGetValue(id, out var holder);
            if (expected is { } phase && (holder.Agent != i.AgentId || holder.Phase != phase))
            {
                problems.Add($"{id} is {i.State} with {i.AgentId} but held by '{holder.Agent}' as {holder.Phase}");
            }

            if (expected is null && holder.Agent is not null)
            {
                problems.Add($"{id} is {i.State} yet still held by {holder.Agent}");
            }

            if (i.State == InteractionState.Queued && i.QueuePosition < 1)
            {
                problems.Add($"{id} is QUEUED in {i.QueueId} but the queue does not have it");
            }
        }

        return problems;
    }
}
