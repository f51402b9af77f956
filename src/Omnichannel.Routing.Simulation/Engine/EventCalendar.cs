namespace Omnichannel.Routing.Simulation.Engine;

/// <summary>
/// What happens next, in time order; events at the same instant run in the order they were scheduled, which keeps a
/// run deterministic.
/// </summary>
internal sealed class EventCalendar(VirtualClock clock)
{
    private readonly PriorityQueue<Action, (long Ticks, long Order)> _events = new();
    private long _scheduled;

    public int Pending => _events.Count;

    public void At(DateTimeOffset at, Action action)
    {
        var when = at < clock.GetUtcNow() ? clock.GetUtcNow() : at;
        _events.Enqueue(action, (when.UtcTicks, _scheduled++));
    }

    public void After(TimeSpan delay, Action action) => At(clock.GetUtcNow() + delay, action);

    /// <summary>Runs events in order until none is left or the next is after <paramref name="until"/>.</summary>
    public void Run(DateTimeOffset until)
    {
        while (_events.TryPeek(out _, out var key) && key.Ticks <= until.UtcTicks)
        {
            var action = _events.Dequeue();
            clock.AdvanceTo(new DateTimeOffset(key.Ticks, TimeSpan.Zero));
            action();
        }
    }
}
