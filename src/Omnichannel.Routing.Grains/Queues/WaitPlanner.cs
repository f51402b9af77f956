using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Queues;

/// <summary>
/// Plans each waiting interaction's course through the queue and carries it out when due: its demand and its wait
/// for a preferred agent on arrival, then the skill-relaxation steps, the end of that wait, the proposal timeouts
/// and the overflow. Matching itself is the <see cref="QueueDispatcher"/>'s.
/// </summary>
internal sealed class WaitPlanner(string queueId, WaitingRoom room, QueueTimetable timetable, QueueDispatcher dispatcher, IQueueMessenger messenger)
{
    private SkillRelaxation _relaxation = SkillRelaxation.None;
    private OverflowConfig? _overflow;

    /// <summary>Takes the relaxation steps and overflow of a new configuration.</summary>
    public void Configure(QueueConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _relaxation = config.ToRelaxation();
        _overflow = config.Overflow;
    }

    /// <summary>
    /// Puts an admitted entry in the waiting room and proposes it, to its preferred agent when that one can take it
    /// now, else to the best agent unless it waits for its preferred one. True when a proposal is on its way.
    /// </summary>
    public bool Admit(QueueEntry entry, Func<string, bool> isMember, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(isMember);
        var demand = entry.ToDemand();
        var steps = _relaxation.StepsDue(now - entry.Arrival);
        var preferred = entry.PreferredAgentId;
        if (preferred is not null && (entry.ExcludedAgents.Contains(preferred) || !isMember(preferred)))
        {
            messenger.Note(entry.InteractionId, RoutingEventType.PreferredAgentFallback, $"preferred agent '{preferred}' is not a member of queue '{queueId}' or rejected it", now);
            preferred = null;
        }

        var waiting = new WaitingInteraction(
            entry.InteractionId,
            entry.Channel,
            entry.BasePriority,
            entry.Arrival,
            room.NextSequence(),
            demand,
            _relaxation.Apply(demand, steps),
            steps,
            entry.ExcludedAgents.ToHashSet(StringComparer.Ordinal));
        room.Add(waiting, entry);
        if (preferred is not null)
        {
            if (dispatcher.TryProposeToPreferred(waiting, preferred))
            {
                Plan(waiting, entry);
                return true;
            }

            var until = entry.Arrival + entry.PreferredAgentWait;
            if (until > now)
            {
                waiting = waiting with { ReservedFor = preferred, ReservedUntil = until };
                room.Replace(waiting);
            }
            else
            {
                messenger.Note(entry.InteractionId, RoutingEventType.PreferredAgentFallback, $"preferred agent '{preferred}' not available; routing normally", now);
            }
        }

        Plan(waiting, entry);
        return waiting.ReservedFor is null && dispatcher.TryDispatch(waiting);
    }

    /// <summary>
    /// Carries out scheduled work that is due. Work about an interaction that left, or a proposal already
    /// answered, is moot and ignored. Returns the overflow when the interaction overflowed, for the queue's log.
    /// </summary>
    public OverflowConfig? Run(ScheduledWork work, DateTimeOffset now)
    {
        if (!room.TryGet(work.InteractionId, out var waiting))
        {
            return null;
        }

        switch (work.Kind)
        {
            case ScheduledKind.Relaxation:
                Relax(waiting, work, now);
                break;

            case ScheduledKind.PreferredWaitEnd when waiting.ReservedFor is not null && waiting.ReservedUntil <= now:
                var released = waiting with { ReservedFor = null, ReservedUntil = null };
                room.Replace(released);
                messenger.Note(waiting.InteractionId, RoutingEventType.PreferredAgentFallback, $"preferred agent '{waiting.ReservedFor}' did not become available in time; routing normally", now);
                if (!dispatcher.Proposals.IsProposedTo(waiting.InteractionId, waiting.ReservedFor))
                {
                    dispatcher.TryDispatch(released);
                }

                break;

            // Not while an agent is about to answer: it would overflow an interaction being offered.
            case ScheduledKind.Overflow when _overflow is { } overflow && !dispatcher.Proposals.IsPending(waiting.InteractionId):
                if (overflow.Mode == OverflowMode.Instead)
                {
                    dispatcher.Remove(waiting.InteractionId);
                }

                messenger.OverflowTo(waiting.InteractionId, overflow.TargetQueueId, overflow.Mode);
                return overflow;

            case ScheduledKind.ProposalTimeout:
                dispatcher.ProposalTimedOut(waiting.InteractionId, work.ProposalId);
                break;
        }

        return null;
    }

    private void Relax(WaitingInteraction waiting, ScheduledWork work, DateTimeOffset now)
    {
        var due = _relaxation.StepsDue(now - waiting.Arrival);
        if (due <= waiting.RelaxationStepsApplied)
        {
            return;
        }

        var relaxed = waiting with { Demand = _relaxation.Apply(waiting.BaseDemand, due), RelaxationStepsApplied = due };
        room.Replace(relaxed);
        messenger.Note(waiting.InteractionId, RoutingEventType.Relaxed, $"skill requirements now {Describe(relaxed.Demand)} (step {due})", now);
        if (_relaxation.NextStepAt(due) is { } next)
        {
            timetable.At(waiting.Arrival + next, work);
        }

        // The held agent was chosen for the stricter demand; a wider one may find someone free now.
        dispatcher.ReleaseHold(waiting.InteractionId);
        dispatcher.TryDispatch(relaxed);
    }

    /// <summary>Schedules what a newly waiting interaction will need: relaxation steps, the end of its preferred wait, overflow.</summary>
    private void Plan(WaitingInteraction waiting, QueueEntry entry)
    {
        if (_relaxation.NextStepAt(waiting.RelaxationStepsApplied) is { } nextStep)
        {
            timetable.At(waiting.Arrival + nextStep, new ScheduledWork(ScheduledKind.Relaxation, waiting.InteractionId));
        }

        if (waiting.ReservedUntil is { } until)
        {
            timetable.At(until, new ScheduledWork(ScheduledKind.PreferredWaitEnd, waiting.InteractionId));
        }

        if (_overflow is { After: var after } overflow && after > TimeSpan.Zero && !entry.OverflowedFrom.Contains(queueId) && overflow.TargetQueueId != queueId)
        {
            timetable.At(waiting.Arrival + after, new ScheduledWork(ScheduledKind.Overflow, waiting.InteractionId));
        }
    }

    private static string Describe(SkillDemand demand) =>
        demand.Required.Count == 0 ? "none" : string.Join(", ", demand.Required.Select(r => $"{r.Skill}>={r.MinimumLevel}"));
}
