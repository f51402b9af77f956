namespace Omnichannel.Routing.Core.Reporting;

/// <summary>From <paramref name="Time"/> on, whether the agent was signed in and the channels it held connected or wrap-up work on.</summary>
public readonly record struct AgentMark(DateTimeOffset Time, bool SignedIn, IReadOnlyList<string> BusyChannels);

/// <summary>One interaction of <paramref name="Channel"/> an agent finished (wrap-up ended) at <paramref name="Time"/>.</summary>
public readonly record struct HandledInteraction(DateTimeOffset Time, string Channel);

/// <summary>
/// One agent's signed-in time and busy channels over a trace, as the marks where either changed; the time between
/// two marks belongs to the earlier. An agent first seen holding work, with no sign-in in the trace, is taken as
/// signed in from the start (its sign-in came before the trace).
/// </summary>
public sealed class AgentTimeline
{
    private readonly List<AgentMark> _marks = [];
    private readonly List<HandledInteraction> _handled = [];
    private readonly Dictionary<string, int> _holding = new(StringComparer.Ordinal);
    private bool _signedIn;

    internal AgentTimeline(string agentId, bool signedInBeforeTrace)
    {
        AgentId = agentId;
        _signedIn = signedInBeforeTrace;
        if (signedInBeforeTrace)
        {
            _marks.Add(new AgentMark(DateTimeOffset.MinValue, true, []));
        }
    }

    public string AgentId { get; }

    public IReadOnlyList<AgentMark> Marks => _marks;

    public IReadOnlyList<HandledInteraction> Handled => _handled;

    internal void SignIn(DateTimeOffset at, bool signedIn)
    {
        if (signedIn != _signedIn)
        {
            _signedIn = signedIn;
            Mark(at);
        }
    }

    internal void Hold(DateTimeOffset at, string channel, int delta)
    {
        var before = _holding.GetValueOrDefault(channel);
        var after = Math.Max(0, before + delta);
        _holding[channel] = after;
        if ((before > 0) != (after > 0))
        {
            Mark(at);
        }
    }

    internal void Finished(DateTimeOffset at, string channel) => _handled.Add(new HandledInteraction(at, channel));

    private void Mark(DateTimeOffset at)
    {
        var busy = _holding.Where(h => h.Value > 0).Select(h => h.Key).Order(StringComparer.Ordinal).ToArray();
        var mark = new AgentMark(at, _signedIn, busy);
        if (_marks.Count > 0 && _marks[^1].Time == at)
        {
            // Several changes at one instant: the last state is the one in force.
            _marks[^1] = mark;
            return;
        }

        _marks.Add(mark);
    }
}
