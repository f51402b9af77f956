using CsCheck;
using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

/// <summary>
/// The indexed answers of <see cref="AgentPool"/> and <see cref="WaitingList"/> equal a brute-force scan of every
/// member or waiting interaction under random sequences of changes, so the O(G log n) and O(B log n) shortcuts never
/// change a routing decision.
/// </summary>
public class IndexProperties
{
    private static readonly string[] AgentIds = ["a0", "a1", "a2", "a3", "a4", "a5"];
    private static readonly string[] Channels = ["voice", "chat", "email"];

    private static readonly CapacityProfile[] Profiles =
    [
        SpecProfile(),
        new(100, [new ChannelLimit("voice", 1, 50, false), new ChannelLimit("chat", 2, 25, false), new ChannelLimit("email", 3, 10, false)]),
        CapacityProfile.SingleInteraction("voice", "email"),
    ];

    private static readonly SkillDemand[] Demands =
    [
        SkillDemand.None,
        new([new SkillRequirement("billing", 2)]),
        new([new SkillRequirement("billing", 3)], ["spanish"]),
    ];

    private static readonly Gen<SkillSet> GenSkills =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 3]).Select((billing, spanish) => new SkillSet(
            new[] { ("billing", billing), ("spanish", spanish) }
                .Where(s => s.Item2 > 0)
                .Select(s => new KeyValuePair<string, int>(s.Item1, s.Item2))));

    private static readonly Gen<AgentLoad> GenLoad =
        Gen.Select(Gen.Int[0, 1], Gen.Int[0, 3], Gen.Int[0, 2])
            .Select((v, c, e) => Load(("voice", v), ("chat", c), ("email", e)));

    private static readonly Gen<AgentAvailability> GenAgent =
        Gen.Select(
            Gen.OneOf(AgentIds),
            Gen.Int[0, 4],
            Gen.Int[0, 9],
            Gen.Select(GenSkills, Gen.Int[0, Profiles.Length - 1], GenLoad),
            Gen.OneOf(Presence.Available, Presence.Available, Presence.Available, Presence.Away),
            Gen.Int[0, 9])
        .Select((id, idle, version, shape, presence, flags) => new AgentAvailability(
            id,
            version,
            SignedIn: flags != 0,
            presence,
            NotResponding: flags == 1,
            shape.Item1,
            Profiles[shape.Item2],
            shape.Item3,
            At(idle),
            HeldFor: flags == 2 ? "w0" : null));

    // ---- AgentPool. ----

    private enum PoolKind
    {
        Upsert,
        Remove,
        Record,
        Select,
        Hold,
    }

    private sealed record PoolOp(PoolKind Kind, AgentAvailability? Agent, string Id, string Channel, int Demand, int SkipMask);

    private static readonly Gen<PoolOp> GenPoolOp = Gen.Frequency(
        (6, GenAgent.Select(a => new PoolOp(PoolKind.Upsert, a, a.AgentId, "", 0, 0))),
        (1, Gen.OneOf(AgentIds).Select(id => new PoolOp(PoolKind.Remove, null, id, "", 0, 0))),
        (2, Gen.OneOf(AgentIds).Select(id => new PoolOp(PoolKind.Record, null, id, "", 0, 0))),
        (4, Gen.Select(Gen.OneOf(Channels), Gen.Int[0, Demands.Length - 1], Gen.Int[0, 63])
            .Select((c, d, skip) => new PoolOp(PoolKind.Select, null, "", c, d, skip))),
        (2, Gen.Select(Gen.OneOf(Channels), Gen.Int[0, Demands.Length - 1], Gen.Int[0, 63])
            .Select((c, d, skip) => new PoolOp(PoolKind.Hold, null, "", c, d, skip))));

    private static bool Skipped(int mask, string agentId) => (mask & (1 << Array.IndexOf(AgentIds, agentId))) != 0 && mask % 3 == 0;

    [Fact]
    public void AgentPool_selections_match_a_brute_force_scan_of_members()
    {
        Gen.Select(Gen.OneOf(Enum.GetValues<SelectionPolicy>()), GenPoolOp.Array[0, 60]).Sample((policy, ops) =>
        {
            var pool = new AgentPool(policy);
            var members = new Dictionary<string, AgentAvailability>(StringComparer.Ordinal);
            var lastSelected = new Dictionary<string, long>(StringComparer.Ordinal);
            long selections = 0;

            foreach (var op in ops)
            {
                switch (op.Kind)
                {
                    case PoolKind.Upsert:
                    {
                        var agent = op.Agent!;
                        var stale = members.TryGetValue(agent.AgentId, out var known) && agent.Version < known.Version;
                        Assert.Equal(!stale, pool.Upsert(agent));
                        if (!stale)
                        {
                            members.Remove(agent.AgentId);
                            if (agent.SignedIn)
                            {
                                members[agent.AgentId] = agent;
                            }
                        }

                        break;
                    }

                    case PoolKind.Remove:
                    {
                        // Removing a member forgets its place in the rotation; removing a stranger changes nothing.
                        var wasMember = members.Remove(op.Id);
                        Assert.Equal(wasMember, pool.Remove(op.Id));
                        if (wasMember)
                        {
                            lastSelected.Remove(op.Id);
                        }

                        break;
                    }

                    case PoolKind.Record:
                        pool.RecordSelection(op.Id);
                        lastSelected[op.Id] = ++selections;
                        break;

                    case PoolKind.Select:
                    {
                        var demand = Demands[op.Demand];
                        var expected = members.Values
                            .Where(a => a.AcceptsNewWork && a.CanTake(op.Channel) == CapacityVerdict.Fits && demand.IsMetBy(a.Skills) && !Skipped(op.SkipMask, a.AgentId))
                            .OrderByDescending(a => policy == SelectionPolicy.BestSkill ? demand.Score(a.Skills) : 0)
                            .ThenBy(a => policy switch
                            {
                                SelectionPolicy.LeastOccupied => a.Profile.Occupancy(a.Load),
                                SelectionPolicy.RoundRobin => lastSelected.GetValueOrDefault(a.AgentId),
                                _ => 0d,
                            })
                            .ThenBy(a => a.IdleSince)
                            .ThenBy(a => a.AgentId, StringComparer.Ordinal)
                            .FirstOrDefault();
                        Assert.Equal(expected?.AgentId, pool.SelectFor(op.Channel, demand, id => Skipped(op.SkipMask, id))?.AgentId);
                        break;
                    }

                    case PoolKind.Hold:
                    {
                        var demand = Demands[op.Demand];
                        var expected = members.Values
                            .Where(a => a.AcceptsNewWork && a.Load.Total > 0 && a.Load[op.Channel] == 0 && a.Profile.IsExclusive(op.Channel)
                                && demand.IsMetBy(a.Skills) && !Skipped(op.SkipMask, a.AgentId))
                            .OrderBy(a => a.UnitsUsed)
                            .ThenBy(a => a.IdleSince)
                            .ThenBy(a => a.AgentId, StringComparer.Ordinal)
                            .FirstOrDefault();
                        Assert.Equal(expected?.AgentId, pool.SelectHoldCandidate(op.Channel, demand, id => Skipped(op.SkipMask, id))?.AgentId);
                        break;
                    }

                    default:
                        throw new ArgumentOutOfRangeException(nameof(ops), op.Kind, null);
                }

                Assert.Equal(members.Count, pool.Count);
                Assert.Equal(members.Values.Count(a => a.AcceptsNewWork), pool.ReadyCount);
                Assert.Equal(members.Values.Select(a => a.Skills.Signature + "\n" + a.Profile.Signature).Distinct().Count(), pool.GroupCount);
                foreach (var channel in Channels)
                {
                    Assert.Equal(
                        members.Values.Count(a => a.Profile.Supports(channel) && Demands[1].IsMetBy(a.Skills)),
                        pool.CountQualified(channel, Demands[1]));
                }
            }
        }, iter: 4_000, print: t => $"{t.Item1}: {string.Join(" | ", t.Item2.Select(o => o.ToString()))}");
    }

    // ---- WaitingList. ----

    private static readonly string[] ItemIds = ["w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"];

    private enum ListKind
    {
        Add,
        Remove,
        Replace,
        Best,
    }

    private sealed record ListOp(ListKind Kind, WaitingInteraction? Item, AgentAvailability? Agent, int SkipMask);

    private static readonly Gen<WaitingInteraction> GenItem =
        Gen.Select(
            Gen.OneOf(ItemIds),
            Gen.OneOf(Channels),
            Gen.Int[0, 6],
            Gen.Int[0, 12],
            Gen.Int[0, Demands.Length - 1],
            Gen.Int[0, 3],
            Gen.Int[0, 5],
            Gen.Long[0, 3])
        .Select((id, channel, priority, arrival, demand, excluded, reserved, sequence) => new WaitingInteraction(
            id,
            channel,
            priority,
            At(arrival),
            sequence,
            Demands[demand],
            Demands[demand],
            0,
            Set(AgentIds.Where((_, i) => i < 2 && (excluded & (1 << i)) != 0).ToArray()),
            reserved < 2 ? AgentIds[reserved] : null));

    private static readonly Gen<ListOp> GenListOp = Gen.Frequency(
        (5, GenItem.Select(i => new ListOp(ListKind.Add, i, null, 0))),
        (2, Gen.OneOf(ItemIds).Select(id => new ListOp(ListKind.Remove, new WaitingInteraction(id, "", 0, T0, 0, SkillDemand.None, SkillDemand.None, 0, Set()), null, 0))),
        (2, GenItem.Select(i => new ListOp(ListKind.Replace, i, null, 0))),
        (5, Gen.Select(GenAgent, Gen.Int[0, 255]).Select((a, skip) => new ListOp(ListKind.Best, null, a, skip))));

    private static bool Skipped(int mask, WaitingInteraction item) =>
        mask % 4 == 0 && (mask & (1 << Array.IndexOf(ItemIds, item.InteractionId))) != 0;

    [Fact]
    public void WaitingList_BestFor_and_PositionOf_match_a_brute_force_scan_of_the_line()
    {
        Gen.Select(Gen.OneOf(0.0, 0.5, 1.0, 2.0), GenListOp.Array[0, 60]).Sample((agingRate, ops) =>
        {
            var list = new WaitingList(agingRate);
            var model = new Dictionary<string, WaitingInteraction>(StringComparer.Ordinal);

            IEnumerable<WaitingInteraction> InPriorityOrder(IEnumerable<WaitingInteraction> items) => items
                .OrderByDescending(i => EffectivePriority.OrderingKey(i.BasePriority, agingRate, i.Arrival))
                .ThenBy(i => i.Arrival)
                .ThenBy(i => i.Sequence)
                .ThenBy(i => i.InteractionId, StringComparer.Ordinal);

            static bool Fits(AgentAvailability agent, WaitingInteraction item) =>
                !item.ExcludedAgents.Contains(agent.AgentId)
                && agent.CanTake(item.Channel) == CapacityVerdict.Fits
                && item.Demand.IsMetBy(agent.Skills);

            foreach (var op in ops)
            {
                var id = op.Item?.InteractionId;
                switch (op.Kind)
                {
                    case ListKind.Add when model.ContainsKey(id!):
                        Assert.Throws<InvalidOperationException>(() => list.Add(op.Item!));
                        break;

                    case ListKind.Add:
                        list.Add(op.Item!);
                        model[id!] = op.Item!;
                        break;

                    case ListKind.Remove:
                        Assert.Equal(model.Remove(id!, out var removed) ? removed : null, list.Remove(id!));
                        break;

                    case ListKind.Replace when model.ContainsKey(id!):
                        list.Replace(op.Item!);
                        model[id!] = op.Item!;
                        break;

                    case ListKind.Replace:
                        Assert.Throws<InvalidOperationException>(() => list.Replace(op.Item!));
                        break;

                    case ListKind.Best:
                    {
                        var agent = op.Agent!;
                        WaitingInteraction? expected;
                        if (!agent.IsReady)
                        {
                            expected = null;
                        }
                        else if (agent.HeldFor is { } held)
                        {
                            expected = model.TryGetValue(held, out var h) && Fits(agent, h) && !Skipped(op.SkipMask, h) ? h : null;
                        }
                        else
                        {
                            expected = InPriorityOrder(model.Values.Where(i =>
                                    (i.ReservedFor is null || i.ReservedFor == agent.AgentId) && Fits(agent, i) && !Skipped(op.SkipMask, i)))
                                .FirstOrDefault();
                        }

                        Assert.Equal(expected?.InteractionId, list.BestFor(agent, i => Skipped(op.SkipMask, i))?.InteractionId);
                        break;
                    }

                    default:
                        throw new ArgumentOutOfRangeException(nameof(ops), op.Kind, null);
                }

                Assert.Equal(model.Count, list.Count);
                Assert.Equal(
                    model.Values.Where(i => i.ReservedFor is null).Select(i => i.Channel + "\n" + i.Demand.Signature).Distinct().Count(),
                    list.BucketCount);
                Assert.Equal(
                    model.Values.OrderBy(i => i.Arrival).ThenBy(i => i.Sequence).ThenBy(i => i.InteractionId, StringComparer.Ordinal).Select(i => i.InteractionId),
                    list.OldestFirst.Select(i => i.InteractionId));
                foreach (var channel in Channels)
                {
                    var line = InPriorityOrder(model.Values.Where(i => i.Channel == channel)).ToList();
                    Assert.Equal(line.Count, list.CountOf(channel));
                    for (var p = 0; p < line.Count; p++)
                    {
                        Assert.Equal(p + 1, list.PositionOf(line[p].InteractionId));
                    }
                }
            }
        }, iter: 4_000, print: t => $"aging {t.Item1}: {string.Join(" | ", t.Item2.Select(o => o.ToString()))}");
    }
}
