using Omnichannel.Routing.Core;
using Omnichannel.Routing.Core.Reporting;

namespace Omnichannel.Routing.Simulation.Engine;

/// <summary>
/// The routing decisions of a simulated day, made by the engine's own core: which agent a waiting interaction is
/// offered to (<see cref="AgentPool.SelectFor"/>, then <see cref="WaitingList.BestFor"/> so an arrival never jumps the
/// line, as the queue grain's dispatcher does), and which waiting interaction an agent with free capacity takes
/// across its queues (<see cref="InteractionSelection.Best"/>, as the agent grain does). Capacity is the core's
/// <see cref="AgentWorkload"/>. Every change goes to the trace as the engine would log it.
/// </summary>
internal sealed class RoutingFloor(VirtualClock clock, EventCalendar calendar, IReadOnlyDictionary<string, SimQueue> queues, IReadOnlyDictionary<string, SimAgent> agents)
{
    // As many agents as the queue grain's dispatcher tries for one arrival before it gives up for now.
    private const int MaxDispatchAttempts = 8;

    private readonly List<TraceEvent> _trace = [];
    private readonly Dictionary<string, SimInteraction> _waiting = new(StringComparer.Ordinal);

    public IReadOnlyList<TraceEvent> Trace => _trace;

    private DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The interaction waits in <paramref name="queue"/> from now, its wait having begun at <paramref name="waitStart"/>.</summary>
    public void Enqueue(SimInteraction interaction, SimQueue queue, DateTimeOffset waitStart)
    {
        interaction.QueueId = queue.Id;
        interaction.State = InteractionState.Queued;
        interaction.Stay++;
        var waiting = new WaitingInteraction(
            interaction.Id, interaction.Channel.Name, interaction.Stream.Priority, waitStart, queue.NextSequence(),
            interaction.BaseDemand, interaction.BaseDemand, 0, interaction.Excluded);
        queue.List.Add(waiting);
        _waiting[interaction.Id] = interaction;

        var stay = interaction.Stay;
        foreach (var (step, index) in queue.Relaxation.Steps.Select((s, i) => (s, i)))
        {
            calendar.At(Now + step.After, () => Relax(interaction, queue, stay, index + 1));
        }

        if (queue.Overflow is { AfterSeconds: { } after } overflow)
        {
            calendar.At(Now + TimeSpan.FromSeconds(after), () => OverflowAfterWait(interaction, queue, stay, queues[overflow.To]));
        }

        TryDispatch(queue, waiting);
    }

    /// <summary>Offers the interaction to the agent the pool selects, or leaves it waiting for an agent to free up.</summary>
    public void TryDispatch(SimQueue queue, WaitingInteraction waiting)
    {
        for (var attempt = 0; attempt < MaxDispatchAttempts && queue.List.Contains(waiting.InteractionId); attempt++)
        {
            var agent = queue.Pool.SelectFor(waiting.Channel, waiting.Demand, id => waiting.ExcludedAgents.Contains(id) || agents[id].Awaiting);
            if (agent is null)
            {
                return;
            }

            var best = queue.List.BestFor(agent) ?? waiting;
            Offer(queue, best, agents[agent.AgentId]);
        }
    }

    /// <summary>The agent has room: it takes the best waiting interaction across its queues, by effective priority.</summary>
    public void SeekWork(SimAgent agent)
    {
        if (!agent.SignedIn || agent.Leaving || agent.Awaiting)
        {
            return;
        }

        var snapshot = agent.Snapshot();
        var offers = new Dictionary<string, WaitingInteraction>(StringComparer.Ordinal);
        var candidates = new List<QueueCandidate>();
        foreach (var queueId in agent.Queues)
        {
            var queue = queues[queueId];
            if (queue.List.BestFor(snapshot) is { } w)
            {
                offers[queueId] = w;
                candidates.Add(new QueueCandidate(queueId, w.InteractionId, w.BasePriority, queue.List.AgingRate, w.Arrival, w.Sequence));
            }
        }

        if (InteractionSelection.Best(candidates, Now) is { } best)
        {
            Offer(queues[best.QueueId], offers[best.QueueId], agent);
        }
    }

    public void Publish(SimAgent agent)
    {
        var snapshot = agent.Snapshot();
        foreach (var queueId in agent.Queues)
        {
            queues[queueId].Pool.Upsert(snapshot);
        }
    }

    public void Record(TraceEvent e) => _trace.Add(e);

    /// <summary>The customer gives up if still waiting (an offer in progress runs its course).</summary>
    public void GiveUp(SimInteraction interaction)
    {
        if (interaction.State != InteractionState.Queued || queues[interaction.QueueId].List.Remove(interaction.Id) is null)
        {
            return;
        }

        interaction.State = InteractionState.Abandoned;
        _waiting.Remove(interaction.Id);
        Log(RoutingEventType.Cancelled, interaction, null, InteractionState.Queued, InteractionState.Abandoned);
    }

    /// <summary>Still waiting when the day's work stops.</summary>
    public int StillWaiting => _waiting.Count;

    private void Offer(SimQueue queue, WaitingInteraction waiting, SimAgent agent)
    {
        var interaction = _waiting[waiting.InteractionId];
        queue.List.Remove(waiting.InteractionId);
        _waiting.Remove(waiting.InteractionId);
        queue.Pool.RecordSelection(agent.Id);
        var channel = interaction.Channel;
        agent.Workload.Reserve(interaction.Id, channel.Name, queue.Id, Now, TimeSpan.FromSeconds(channel.OfferTimeoutSeconds));
        agent.Awaiting = true;
        agent.IdleSince = Now;
        Publish(agent);
        interaction.State = InteractionState.Offered;
        interaction.AgentId = agent.Id;
        Log(RoutingEventType.Offered, interaction, agent.Id, InteractionState.Queued, InteractionState.Offered);

        var answer = interaction.Draws.NextDouble();
        if (answer < channel.RejectProbability)
        {
            calendar.After(TimeSpan.FromSeconds(channel.AnswerSeconds), () => Return(interaction, agent, waiting, RoutingEventType.Rejected));
        }
        else if (answer < channel.RejectProbability + channel.TimeoutProbability)
        {
            calendar.After(TimeSpan.FromSeconds(channel.OfferTimeoutSeconds), () => Return(interaction, agent, waiting, RoutingEventType.OfferTimedOut));
        }
        else
        {
            calendar.After(TimeSpan.FromSeconds(channel.AnswerSeconds), () => Accept(interaction, agent));
        }
    }

    private void Return(SimInteraction interaction, SimAgent agent, WaitingInteraction waiting, RoutingEventType why)
    {
        agent.Workload.Release(interaction.Id);
        agent.Awaiting = false;
        interaction.Excluded.Add(agent.Id);
        Log(why, interaction, agent.Id, InteractionState.Offered, InteractionState.Queued);
        var queue = queues[interaction.QueueId];
        interaction.State = InteractionState.Queued;
        interaction.AgentId = null;
        var again = waiting with { ExcludedAgents = interaction.Excluded };
        queue.List.Add(again);
        _waiting[interaction.Id] = interaction;
        Publish(agent);
        if (interaction.GivesUpAt is { } givesUp && givesUp <= Now)
        {
            GiveUp(interaction);
        }
        else
        {
            TryDispatch(queue, again);
        }

        AfterChange(agent);
    }

    private void Accept(SimInteraction interaction, SimAgent agent)
    {
        agent.Workload.Accept(interaction.Id, Now);
        agent.Awaiting = false;
        interaction.State = InteractionState.Connected;
        Log(RoutingEventType.Accepted, interaction, agent.Id, InteractionState.Offered, InteractionState.Connected);
        Publish(agent);
        var handle = TimeSpan.FromSeconds(interaction.Channel.Handle.Sample(interaction.Draws));
        var transfer = !interaction.Transferred && interaction.Draws.NextDouble() < interaction.Stream.TransferProbability;
        calendar.After(handle, transfer ? () => TransferOut(interaction, agent) : () => Complete(interaction, agent));
        SeekWork(agent);
    }

    private void Complete(SimInteraction interaction, SimAgent agent)
    {
        var wrapUp = TimeSpan.FromSeconds(interaction.Channel.WrapUp.Sample(interaction.Draws));
        agent.Workload.Complete(interaction.Id, Now, wrapUp);
        interaction.State = InteractionState.WrapUp;
        Log(RoutingEventType.Completed, interaction, agent.Id, InteractionState.Connected, InteractionState.WrapUp);
        calendar.After(wrapUp, () =>
        {
            agent.Workload.EndWrapUp(interaction.Id);
            interaction.State = InteractionState.Completed;
            Log(RoutingEventType.WrapUpEnded, interaction, agent.Id, InteractionState.WrapUp, InteractionState.Completed);
            Publish(agent);
            AfterChange(agent);
        });
    }

    /// <summary>A blind transfer of connected work to another queue: a new wait there, the agent freed.</summary>
    private void TransferOut(SimInteraction interaction, SimAgent agent)
    {
        agent.Workload.Release(interaction.Id);
        interaction.Transferred = true;
        interaction.AgentId = null;
        var target = queues[interaction.Stream.TransferTo!];
        interaction.QueueId = target.Id;
        Log(RoutingEventType.Transferred, interaction, agent.Id, InteractionState.Connected, InteractionState.Queued);
        Publish(agent);
        Enqueue(interaction, target, Now);
        AfterChange(agent);
    }

    private void AfterChange(SimAgent agent)
    {
        if (agent.Leaving && agent.Workload.Load.Total == 0 && agent.SignedIn)
        {
            agent.SignedIn = false;
            Record(TraceEvent.ForAgent(Now, RoutingEventType.SignedOut, agent.Id));
            Publish(agent);
            return;
        }

        SeekWork(agent);
    }

    private void Relax(SimInteraction interaction, SimQueue queue, int stay, int steps)
    {
        if (interaction.Stay != stay || interaction.State != InteractionState.Queued || !queue.List.TryGet(interaction.Id, out var waiting) || waiting.RelaxationStepsApplied >= steps)
        {
            return;
        }

        var relaxed = waiting with { Demand = queue.Relaxation.Apply(waiting.BaseDemand, steps), RelaxationStepsApplied = steps };
        queue.List.Replace(relaxed);
        Log(RoutingEventType.Relaxed, interaction, null, InteractionState.Queued, InteractionState.Queued);
        TryDispatch(queue, relaxed);
    }

    private void OverflowAfterWait(SimInteraction interaction, SimQueue queue, int stay, SimQueue target)
    {
        if (interaction.Stay != stay || interaction.State != InteractionState.Queued || queue.List.Remove(interaction.Id) is not { } waiting)
        {
            return;
        }

        _waiting.Remove(interaction.Id);
        interaction.QueueId = target.Id;
        Log(RoutingEventType.Overflowed, interaction, null, InteractionState.Queued, InteractionState.Queued);
        Enqueue(interaction, target, waiting.Arrival);
    }

    private void Log(RoutingEventType type, SimInteraction interaction, string? agentId, InteractionState from, InteractionState to) =>
        _trace.Add(TraceEvent.ForInteraction(Now, type, interaction.Id, interaction.QueueId, agentId, interaction.Channel.Name, from, to, interaction.Stream.Priority));
}
