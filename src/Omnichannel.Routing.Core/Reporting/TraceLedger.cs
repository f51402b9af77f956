namespace Omnichannel.Routing.Core.Reporting;

/// <summary>
/// Reads a trace of <see cref="TraceEvent"/>s, in time order, into the facts an interval report counts: each
/// interaction's stays in queues (<see cref="ContactSegment"/>) and each agent's signed-in and busy time
/// (<see cref="AgentTimeline"/>). Events about interactions it never saw routed (they began before the trace) move
/// agents' time but count nowhere as offered.
/// </summary>
public sealed class TraceLedger
{
    /// <summary>The channel of an interaction whose events never named one.</summary>
    public const string UnknownChannel = "unknown";

    private readonly Dictionary<string, Tracked> _interactions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentTimeline> _agents = new(StringComparer.Ordinal);
    private readonly List<ContactSegment> _segments = [];

    public IReadOnlyList<ContactSegment> Segments => _segments;

    public IEnumerable<AgentTimeline> Agents => _agents.Values;

    /// <summary>The time of the latest event read: where a wait still open is measured to.</summary>
    public DateTimeOffset LastEventTime { get; private set; } = DateTimeOffset.MinValue;

    public void RecordAll(IEnumerable<TraceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            Record(e);
        }
    }

    public void Record(TraceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Time > LastEventTime)
        {
            LastEventTime = e.Time;
        }

        if (e.InteractionId is null)
        {
            RecordAgent(e);
            return;
        }

        if (!_interactions.TryGetValue(e.InteractionId, out var tracked))
        {
            tracked = new Tracked();
            _interactions[e.InteractionId] = tracked;
        }

        tracked.Channel = e.Channel ?? tracked.Channel;
        tracked.Priority = e.Type == RoutingEventType.Routed ? e.Priority : tracked.Priority;
        RecordInteraction(tracked, e);
    }

    private void RecordAgent(TraceEvent e)
    {
        if (e.AgentId is null)
        {
            return;
        }

        if (e.Type is RoutingEventType.SignedIn or RoutingEventType.SignedOut)
        {
            AgentOf(e.AgentId, signedInBeforeTrace: false).SignIn(e.Time, e.Type == RoutingEventType.SignedIn);
        }
    }

    private void RecordInteraction(Tracked t, TraceEvent e)
    {
        switch (e.Type)
        {
            case RoutingEventType.Routed when e.QueueId is not null:
                Enter(t, e.QueueId, e.Time, waitStart: e.Time);
                break;
            case RoutingEventType.Overflowed when e.QueueId is not null && t.Segment is { IsWaiting: true } waiting && waiting.QueueId != e.QueueId:
                waiting.End(WaitOutcome.Overflowed, e.Time);
                Enter(t, e.QueueId, e.Time, waitStart: waiting.WaitStart);
                break;
            case RoutingEventType.Accepted:
                Answer(t, e.Time);
                Connect(t, e.AgentId, e.Time);
                break;
            case RoutingEventType.Transferred:
                Transfer(t, e);
                break;
            case RoutingEventType.Completed:
                AddHandleTime(t, e.Time);
                t.WrapUpStart = e.Time;
                break;
            case RoutingEventType.WrapUpEnded:
                Finish(t, e);
                break;
            case RoutingEventType.Cancelled:
                if (t.Segment is { IsWaiting: true } abandoned)
                {
                    abandoned.End(WaitOutcome.Abandoned, e.Time);
                }

                break;
            default:
                // Offers, returns, notes and priority changes move no figure of the report.
                break;
        }
    }

    private void Transfer(Tracked t, TraceEvent e)
    {
        if (e.From == InteractionState.Queued)
        {
            if (e.To == InteractionState.Queued && e.QueueId is not null && t.Segment is { IsWaiting: true } waiting)
            {
                // A blind transfer of waiting work keeps its place in time.
                waiting.End(WaitOutcome.Transferred, e.Time);
                Enter(t, e.QueueId, e.Time, waitStart: waiting.WaitStart);
            }

            // Straight to an agent from the queue: the acceptance answers it.
            return;
        }

        if (e.From != InteractionState.Connected)
        {
            return;
        }

        // Connected work moves on: the holder's part of the handling ends here.
        AddHandleTime(t, e.Time);
        Release(t, e.Time);
        if (t.Segment is { Outcome: WaitOutcome.Answered } answered)
        {
            answered.TransferredAfterAnswer = true;
        }

        if (e.To == InteractionState.Queued && e.QueueId is not null)
        {
            Enter(t, e.QueueId, e.Time, waitStart: e.Time);
        }
        else if (e.To == InteractionState.Connected)
        {
            // A warm transfer completed: the consulted agent holds it from now on.
            Connect(t, e.AgentId, e.Time);
        }
    }

    private void Finish(Tracked t, TraceEvent e)
    {
        if (t.Segment is { Outcome: WaitOutcome.Answered } segment)
        {
            segment.WrapUpTime += t.WrapUpStart is { } start ? e.Time - start : TimeSpan.Zero;
            segment.Handled = true;
        }

        if (t.HeldBy is { } agentId)
        {
            AgentOf(agentId, signedInBeforeTrace: true).Finished(e.Time, ChannelOf(t));
        }

        Release(t, e.Time);
        t.WrapUpStart = null;
    }

    private void Enter(Tracked t, string queueId, DateTimeOffset at, DateTimeOffset waitStart)
    {
        var segment = new ContactSegment(queueId, ChannelOf(t), t.Priority, at, waitStart);
        _segments.Add(segment);
        t.Segment = segment;
    }

    private static void Answer(Tracked t, DateTimeOffset at)
    {
        if (t.Segment is { IsWaiting: true } waiting)
        {
            waiting.End(WaitOutcome.Answered, at);
        }
    }

    private void Connect(Tracked t, string? agentId, DateTimeOffset at)
    {
        t.ConnectedAt = at;
        if (agentId is null)
        {
            return;
        }

        t.HeldBy = agentId;
        AgentOf(agentId, signedInBeforeTrace: true).Hold(at, ChannelOf(t), +1);
    }

    private static void AddHandleTime(Tracked t, DateTimeOffset at)
    {
        if (t.ConnectedAt is { } connected && t.Segment is { Outcome: WaitOutcome.Answered } segment)
        {
            segment.HandleTime += at - connected;
        }

        t.ConnectedAt = null;
    }

    private void Release(Tracked t, DateTimeOffset at)
    {
        if (t.HeldBy is { } agentId)
        {
            AgentOf(agentId, signedInBeforeTrace: true).Hold(at, ChannelOf(t), -1);
            t.HeldBy = null;
        }
    }

    private AgentTimeline AgentOf(string agentId, bool signedInBeforeTrace)
    {
        if (!_agents.TryGetValue(agentId, out var timeline))
        {
            timeline = new AgentTimeline(agentId, signedInBeforeTrace);
            _agents[agentId] = timeline;
        }

        return timeline;
    }

    private static string ChannelOf(Tracked t) => t.Channel ?? UnknownChannel;

    private sealed class Tracked
    {
        public string? Channel { get; set; }

        public int Priority { get; set; }

        public ContactSegment? Segment { get; set; }

        public string? HeldBy { get; set; }

        public DateTimeOffset? ConnectedAt { get; set; }

        public DateTimeOffset? WrapUpStart { get; set; }
    }
}
