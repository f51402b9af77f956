using CsCheck;
using static Omnichannel.Routing.Core.Tests.TestData;

namespace Omnichannel.Routing.Core.Tests;

/// <summary>
/// Contract §4 invariants against <see cref="AgentWorkload"/>, the single authority on an agent's capacity: random
/// sequences of offers, accepts, rejects, timeouts, completions, wrap-up ends, sign-outs and profile changes never
/// produce a load the profile does not admit (except right after a profile change shrank it, when nothing more is
/// reserved until it fits again), and never hold one interaction twice.
/// </summary>
public class CapacityInvariantProperties
{
    // "fax" is in no profile: reserving it must always be refused.
    private static readonly string[] Channels = ["voice", "chat", "email", "sms", "fax"];

    private enum Kind
    {
        Reserve,
        Accept,
        Reject,
        Advance,
        Complete,
        EndWrapUp,
        SignOut,
        ChangeProfile,
    }

    private sealed record Op(Kind Kind, string Channel, string Id, int Seconds, CapacityProfile? Profile)
    {
        public override string ToString() => Kind switch
        {
            Kind.Reserve => $"Reserve({Id}, {Channel}, {Seconds}s)",
            Kind.Advance => $"Advance({Seconds}s)",
            Kind.Complete => $"Complete({Id}, wrap {Seconds}s)",
            Kind.SignOut => "SignOut",
            Kind.ChangeProfile => $"ChangeProfile({Profile})",
            _ => $"{Kind}({Id})",
        };
    }

    private sealed record Held(string Channel, WorkPhase Phase, DateTimeOffset? Deadline);

    private static readonly Gen<CapacityProfile> GenProfile =
        Gen.Select(
            Gen.Int[1, 150],
            Gen.Select(Gen.Int[0, 2], Gen.Int[1, 4], Gen.Int[0, 60], Gen.Int[0, 3]).Array[4])
        .Select((total, limits) =>
        {
            var chosen = limits
                .Select((l, i) => (l.Item1, new ChannelLimit(Channels[i], l.Item2, l.Item3, Exclusive: l.Item4 == 0)))
                .Where(x => x.Item1 > 0) // each channel listed two times in three
                .Select(x => x.Item2)
                .ToList();
            return new CapacityProfile(total, chosen.Count > 0 ? chosen : [new ChannelLimit("chat", 2, 10, false)]);
        });

    private static readonly Gen<string> GenId = Gen.Int[0, 9].Select(i => $"i{i}");

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (8, Gen.Select(Gen.OneOf(Channels), GenId, Gen.Int[1, 30]).Select((c, id, s) => new Op(Kind.Reserve, c, id, s, null))),
        (4, GenId.Select(id => new Op(Kind.Accept, "", id, 0, null))),
        (2, GenId.Select(id => new Op(Kind.Reject, "", id, 0, null))),
        (3, Gen.Int[0, 20].Select(s => new Op(Kind.Advance, "", "", s, null))),
        (3, Gen.Select(GenId, Gen.Int[0, 20]).Select((id, s) => new Op(Kind.Complete, "", id, s, null))),
        (2, GenId.Select(id => new Op(Kind.EndWrapUp, "", id, 0, null))),
        (1, Gen.Const(new Op(Kind.SignOut, "", "", 0, null))),
        (1, GenProfile.Select(p => new Op(Kind.ChangeProfile, "", "", 0, p))));

    [Fact]
    public void Random_workload_operations_never_overfill_an_agent_nor_hold_an_interaction_twice()
    {
        Gen.Select(GenProfile, GenOp.Array[0, 80]).Sample((profile, ops) =>
        {
            var work = new AgentWorkload(profile);
            var model = new Dictionary<string, Held>(StringComparer.Ordinal);
            var now = T0;
            var shrunkBelowLoad = false;

            foreach (var op in ops)
            {
                Apply(work, model, op, ref now, ref shrunkBelowLoad);

                // The model and the workload agree on what is held, once each.
                Assert.Equal(model.Keys.Order(StringComparer.Ordinal), work.Items.Select(i => i.InteractionId).Order(StringComparer.Ordinal));
                Assert.Equal(AgentLoad.From(model.Values.Select(h => new KeyValuePair<string, int>(h.Channel, 1))), work.Load);
                Assert.Equal(work.Items.Count, work.Load.Total);
                foreach (var item in work.Items)
                {
                    var held = model[item.InteractionId];
                    Assert.Equal((held.Channel, held.Phase, held.Deadline), (item.Channel, item.Phase, item.Deadline));
                }

                // Contract §4: the load never exceeds the profile, unless a profile change shrank it and it has not fitted since.
                if (work.Profile.Admits(work.Load))
                {
                    shrunkBelowLoad = false;
                }
                else
                {
                    Assert.True(shrunkBelowLoad, $"load {work.Load} breaks {work.Profile} after {op}");
                }
            }
        }, iter: 10_000, print: t => $"profile {t.Item1}; ops: {string.Join(", ", t.Item2.Select(o => o.ToString()))}");
    }

    private static void Apply(AgentWorkload work, Dictionary<string, Held> model, Op op, ref DateTimeOffset now, ref bool shrunkBelowLoad)
    {
        switch (op.Kind)
        {
            case Kind.Reserve:
            {
                var admittedBefore = work.Profile.Admits(work.Load);
                var expected = !model.ContainsKey(op.Id) && work.Profile.Admits(work.Load.Add(op.Channel));
                if (!model.ContainsKey(op.Id))
                {
                    Assert.Equal(expected, work.CanReserve(op.Channel) == CapacityVerdict.Fits);
                }

                bool reserved;
                try
                {
                    work.Reserve(op.Id, op.Channel, "q", now, TimeSpan.FromSeconds(op.Seconds));
                    reserved = true;
                }
                catch (InvalidOperationException)
                {
                    reserved = false;
                }

                // An offer is possible exactly when every limit holds after it (contract §2)...
                Assert.Equal(expected, reserved);
                if (reserved)
                {
                    // ...so nothing is reserved while a shrunk profile is still exceeded.
                    Assert.True(admittedBefore);
                    Assert.True(work.Profile.Admits(work.Load));
                    model[op.Id] = new Held(op.Channel, WorkPhase.Offered, now.AddSeconds(op.Seconds));
                }

                break;
            }

            case Kind.Accept:
            {
                var (change, _) = work.Accept(op.Id, now);
                var expected = !model.TryGetValue(op.Id, out var held) ? WorkChange.NotHeld
                    : held.Phase != WorkPhase.Offered ? WorkChange.WrongPhase
                    : now >= held.Deadline ? WorkChange.Expired
                    : WorkChange.Done;
                Assert.Equal(expected, change);
                if (change == WorkChange.Done)
                {
                    model[op.Id] = held! with { Phase = WorkPhase.Connected, Deadline = null };
                }

                break;
            }

            case Kind.Reject:
                Assert.Equal(model.Remove(op.Id) ? WorkChange.Done : WorkChange.NotHeld, work.Release(op.Id).Change);
                break;

            case Kind.Advance:
            {
                now = now.AddSeconds(op.Seconds);
                var at = now;

                // Timeouts return offers to the queue; wrap-up timers give capacity back.
                var expired = work.ExpiredOffers(now);
                Assert.Equal(
                    model.Where(m => m.Value.Phase == WorkPhase.Offered && m.Value.Deadline <= at).Select(m => m.Key).Order(StringComparer.Ordinal),
                    expired.Select(i => i.InteractionId).Order(StringComparer.Ordinal));
                foreach (var offer in expired)
                {
                    Assert.Equal(WorkChange.Expired, work.Accept(offer.InteractionId, now).Change);
                    Assert.Equal(WorkChange.Done, work.Release(offer.InteractionId).Change);
                    model.Remove(offer.InteractionId);
                }

                var finished = work.FinishedWrapUps(now);
                Assert.Equal(
                    model.Where(m => m.Value.Phase == WorkPhase.WrapUp && m.Value.Deadline <= at).Select(m => m.Key).Order(StringComparer.Ordinal),
                    finished.Select(i => i.InteractionId).Order(StringComparer.Ordinal));
                foreach (var wrap in finished)
                {
                    Assert.Equal(WorkChange.Done, work.EndWrapUp(wrap.InteractionId).Change);
                    model.Remove(wrap.InteractionId);
                }

                var next = model.Values.Where(h => h.Deadline is not null).Select(h => h.Deadline).Min();
                Assert.Equal(next, work.NextDeadline);
                break;
            }

            case Kind.Complete:
            {
                var (change, _) = work.Complete(op.Id, now, TimeSpan.FromSeconds(op.Seconds));
                var expected = !model.TryGetValue(op.Id, out var held) ? WorkChange.NotHeld
                    : held.Phase != WorkPhase.Connected ? WorkChange.WrongPhase
                    : WorkChange.Done;
                Assert.Equal(expected, change);
                if (change == WorkChange.Done)
                {
                    model[op.Id] = held! with { Phase = WorkPhase.WrapUp, Deadline = now.AddSeconds(op.Seconds) };
                }

                break;
            }

            case Kind.EndWrapUp:
            {
                var expected = !model.TryGetValue(op.Id, out var held) ? WorkChange.NotHeld
                    : held.Phase != WorkPhase.WrapUp ? WorkChange.WrongPhase
                    : WorkChange.Done;
                Assert.Equal(expected, work.EndWrapUp(op.Id).Change);
                if (expected == WorkChange.Done)
                {
                    model.Remove(op.Id);
                }

                break;
            }

            case Kind.SignOut:
                // Contract §3.8: signing out returns offered (not connected) interactions to their queues.
                foreach (var offer in work.Offers.ToList())
                {
                    Assert.Equal(WorkChange.Done, work.Release(offer.InteractionId).Change);
                    Assert.Equal(WorkPhase.Offered, model[offer.InteractionId].Phase);
                    model.Remove(offer.InteractionId);
                }

                Assert.DoesNotContain(model.Values, h => h.Phase == WorkPhase.Offered);
                break;

            case Kind.ChangeProfile:
                work.ChangeProfile(op.Profile!);
                shrunkBelowLoad = !work.Profile.Admits(work.Load);
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(op), op.Kind, null);
        }
    }
}
