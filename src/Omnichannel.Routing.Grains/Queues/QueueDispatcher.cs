using System.Collections.Immutable;
using System.Diagnostics;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// Matches a queue's waiting interactions with its members: proposes an interaction to the agent the core's
/// <see cref="AgentPool"/> selects, or holds one free for it (contract §3.11), and reacts to declines, refused holds,
/// member changes and the queue's scheduled work. It keeps the open proposals, the holds and the declines, and sends
/// its decisions through an <see cref="IQueueMessenger"/>, so it runs without a silo.
/// </summary>
internal sealed class QueueDispatcher
{
    private const int MaxDispatchAttempts = 8;

    private readonly string _queueId;
    private readonly WaitingRoom _room;
    private readonly MemberRoster _roster;
    private readonly QueueTimetable _timetable;
    private readonly IQueueMessenger _messenger;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _proposalTimeout;
    private readonly IReadOnlySet<string> _memberOfThisQueue;
    private readonly int _shard;

    /// <param name="queueId">The queue it dispatches for.</param>
    /// <param name="room">The queue's waiting interactions.</param>
    /// <param name="roster">The queue's members.</param>
    /// <param name="timetable">Where proposal timeouts are scheduled.</param>
    /// <param name="messenger">Carries proposals, holds and notes to agents and interactions.</param>
    /// <param name="clock">The routing clock.</param>
    /// <param name="proposalTimeout">How long an agent has to answer a proposal before the queue tries another.</param>
    /// <param name="shard">The shard of the queue it dispatches for, named in its proposals (0 when not sharded).</param>
    public QueueDispatcher(string queueId, WaitingRoom room, MemberRoster roster, QueueTimetable timetable, IQueueMessenger messenger, TimeProvider clock, TimeSpan proposalTimeout, int shard = 0)
    {
        _shard = shard;
        _queueId = queueId;
        _room = room;
        _roster = roster;
        _timetable = timetable;
        _messenger = messenger;
        _clock = clock;
        _proposalTimeout = proposalTimeout;
        _memberOfThisQueue = new HashSet<string>(StringComparer.Ordinal) { queueId };
    }

    public ProposalBook Proposals { get; } = new();

    public HoldBook Holds { get; } = new();

    public DeclineMemory Declines { get; } = new();

    private AgentPool Pool => _roster.Pool;

    /// <summary>Takes an interaction out of the queue, with its proposal, declines and hold.</summary>
    public QueueEntry? Remove(string interactionId)
    {
        var entry = _room.Remove(interactionId);
        if (entry is null)
        {
            return null;
        }

        Proposals.Withdraw(interactionId);
        Declines.Forget(interactionId);
        ReleaseHold(interactionId);
        return entry;
    }

    /// <summary>The oldest waiting interactions of the given channels (any, if none given) that no agent is answering for.</summary>
    public ImmutableArray<string> OldestUnproposed(int max, ImmutableArray<string> channels) =>
        _room.List.OldestFirst
            .Where(w => (channels.IsDefaultOrEmpty || channels.Contains(w.Channel)) && !Proposals.IsPending(w.InteractionId))
            .Take(max)
            .Select(w => w.InteractionId)
            .ToImmutableArray();

    /// <summary>The best waiting interaction for an agent asking for work, leaving those promised to another.</summary>
    public WaitingInteraction? BestFor(AgentAvailability agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var started = Stopwatch.GetTimestamp();
        var best = _room.List.BestFor(agent, w => Proposals.IsPromisedToAnother(w.InteractionId, agent.AgentId));
        RoutingMetrics.Decided(_queueId, started);
        return best;
    }

    /// <summary>Why the agent may not claim the waiting interaction, or null when it may.</summary>
    public string? ClaimRefusal(WaitingInteraction waiting, string agentId)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        if (Proposals.IsPromisedToAnother(waiting.InteractionId, agentId))
        {
            return "proposed to another agent";
        }

        if (waiting.ReservedFor is { } reserved && reserved != agentId)
        {
            return "waiting for its preferred agent";
        }

        return waiting.ExcludedAgents.Contains(agentId) ? "rejected by this agent before" : null;
    }

    /// <summary>The agent declined a proposal: passes it over until its state changes, and tries another agent.</summary>
    public void Declined(AgentSnapshot agent, string interactionId, long proposalId)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (Proposals.IsCurrent(interactionId, proposalId))
        {
            Proposals.Withdraw(interactionId);
            Declines.Remember(interactionId, agent.AgentId, agent.Version);
        }

        Redispatch(interactionId);
    }

    /// <summary>The agent would not be held: passes it over until its state changes, and tries again.</summary>
    public void HoldRefused(AgentSnapshot agent, string interactionId)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (Holds.IsHeldBy(interactionId, agent.AgentId))
        {
            // The agent already knows: no release to send.
            Holds.Release(interactionId, out _);
            Declines.Remember(interactionId, agent.AgentId, agent.Version);
        }

        Redispatch(interactionId);
    }

    /// <summary>A member's new state: one no longer ready loses its proposal, one no longer held frees its interaction.</summary>
    public void MemberChanged(string agentId, AgentSnapshot? before, AgentAvailability? availability)
    {
        // An agent that stopped being ready will decline what it was proposed; don't wait for that.
        if (availability is { IsReady: false } && Proposals.TryGetInteractionOf(agentId, out var proposed) && _room.TryGet(proposed, out var waiting))
        {
            Proposals.Withdraw(proposed);
            TryDispatch(waiting);
        }

        if (availability is null || (before?.HeldFor is not null && availability.HeldFor is null))
        {
            ReassignHoldOf(agentId);
        }
    }

    /// <summary>
    /// Takes a member's snapshot into the roster (unless a newer one is known, see <see cref="MemberRoster.Upsert"/>);
    /// a member that signed out loses its proposal to another agent.
    /// </summary>
    public AgentAvailability? TakeSnapshot(AgentSnapshot snapshot, out bool fresh)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var availability = _roster.Upsert(snapshot, out fresh);
        if (fresh && !snapshot.SignedIn)
        {
            MemberSignedOut(snapshot.AgentId);
        }

        return availability;
    }

    /// <summary>A member signed out: what it was proposed goes to another agent.</summary>
    public void MemberSignedOut(string agentId)
    {
        if (Proposals.TryGetInteractionOf(agentId, out var interactionId))
        {
            Proposals.Withdraw(interactionId);
            Redispatch(interactionId);
        }
    }

    /// <summary>A member left the queue: forgets it, and moves its proposal and hold to others.</summary>
    public void MemberLeft(string agentId)
    {
        _roster.Forget(agentId);
        MemberSignedOut(agentId);
        ReassignHoldOf(agentId);
    }

    /// <summary>A proposal was not answered in time: unless it was answered meanwhile, tries another agent.</summary>
    public void ProposalTimedOut(string interactionId, long proposalId)
    {
        if (Proposals.IsCurrent(interactionId, proposalId))
        {
            Proposals.Withdraw(interactionId);
            Redispatch(interactionId);
        }
    }

    /// <summary>A safety net against lost messages and stale views: retries the oldest waiting interactions.</summary>
    public void Sweep(int batch)
    {
        if (Pool.ReadyCount == 0)
        {
            return;
        }

        foreach (var waiting in _room.List.OldestFirst.Where(w => !Proposals.IsPending(w.InteractionId)).Take(batch).ToList())
        {
            TryDispatch(waiting);
        }
    }

    /// <summary>Proposes a waiting interaction to the best eligible agent, or holds one free for it (contract §3.11).</summary>
    public bool TryDispatch(WaitingInteraction waiting)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        if (Proposals.IsPending(waiting.InteractionId) || !_room.Contains(waiting.InteractionId))
        {
            return Proposals.IsPending(waiting.InteractionId);
        }

        if (waiting.ReservedFor is { } preferred)
        {
            return TryProposeToPreferred(waiting, preferred);
        }

        var started = Stopwatch.GetTimestamp();
        for (var attempt = 0; attempt < MaxDispatchAttempts; attempt++)
        {
            var agent = Pool.SelectFor(waiting.Channel, waiting.Demand, id =>
                waiting.ExcludedAgents.Contains(id) || Proposals.IsAwaiting(id) || PassesOver(waiting.InteractionId, id));
            if (agent is null)
            {
                break;
            }

            // The agent gets its best waiting interaction, which may be an older one than the one that triggered
            // this: an arrival never jumps the line for an agent (contract §3.3).
            var best = _room.List.BestFor(agent, w => Proposals.IsPending(w.InteractionId) || PassesOver(w.InteractionId, agent.AgentId)) ?? waiting;
            RoutingMetrics.Decided(_queueId, started);
            Propose(best, agent.AgentId);
            if (best.InteractionId == waiting.InteractionId)
            {
                return true;
            }
        }

        TryHold(waiting);
        return false;
    }

    private void Redispatch(string interactionId)
    {
        if (_room.TryGet(interactionId, out var waiting))
        {
            TryDispatch(waiting);
        }
    }

    /// <summary>Proposes the interaction to its preferred agent if that one can take it now.</summary>
    public bool TryProposeToPreferred(WaitingInteraction waiting, string agentId)
    {
        var agent = Pool.Get(agentId);
        if (agent is null || Proposals.IsAwaiting(agentId) || PassesOver(waiting.InteractionId, agentId))
        {
            return false;
        }

        var demand = waiting.ToDemand(_queueId) with { ReservedFor = agentId };
        if (EligibilityRules.Check(agent, _memberOfThisQueue, demand) != Eligibility.Eligible)
        {
            return false;
        }

        Propose(waiting, agentId);
        return true;
    }

    private void Propose(WaitingInteraction waiting, string agentId)
    {
        var proposalId = Proposals.Open(waiting.InteractionId, agentId);
        Pool.RecordSelection(agentId);
        _timetable.ProposalTimeout(waiting.InteractionId, proposalId, _clock.GetUtcNow() + _proposalTimeout);

        // The agent checks the demand in force now, after any relaxation step, not the one first requested.
        var entry = _room.EntryOf(waiting.InteractionId) with
        {
            ExcludedAgents = [.. waiting.ExcludedAgents],
            RequiredSkills = [.. waiting.Demand.Required.Select(r => new RequirementConfig(r.Skill, r.MinimumLevel))],
        };
        _messenger.Propose(agentId, new Proposal(_queueId, entry, proposalId, _shard));
    }

    private void TryHold(WaitingInteraction waiting)
    {
        if (Holds.IsHeldFor(waiting.InteractionId) || waiting.ReservedFor is not null)
        {
            return;
        }

        var candidate = Pool.SelectHoldCandidate(waiting.Channel, waiting.Demand, id =>
            waiting.ExcludedAgents.Contains(id) || Holds.IsHolding(id) || Proposals.IsAwaiting(id) || PassesOver(waiting.InteractionId, id));
        if (candidate is null)
        {
            return;
        }

        Holds.Hold(waiting.InteractionId, candidate.AgentId);
        _messenger.Hold(candidate.AgentId, waiting.InteractionId);
        _messenger.Note(waiting.InteractionId, RoutingEventType.AgentHeld, $"agent '{candidate.AgentId}' takes no new work until it can take this {waiting.Channel} interaction", _clock.GetUtcNow());
    }

    /// <summary>The one way a queue ends a hold it placed: forget it and tell the agent.</summary>
    public void ReleaseHold(string interactionId)
    {
        if (Holds.Release(interactionId, out var agentId))
        {
            _messenger.ReleaseHold(agentId, interactionId);
        }
    }

    /// <summary>The agent no longer holds for its interaction (it left, or dropped the hold): try that one again.</summary>
    private void ReassignHoldOf(string agentId)
    {
        if (Holds.ReleaseAgent(agentId, out var interactionId))
        {
            Redispatch(interactionId);
        }
    }

    private bool PassesOver(string interactionId, string agentId) =>
        Declines.PassesOver(interactionId, agentId, _roster.VersionOf(agentId));
}
