namespace Omnichannel.Routing.Grains;

/// <summary>
/// One grain timer that fires at the earliest pending deadline. Grains re-arm it after every change rather than
/// ticking on a fixed period, so an idle grain costs nothing and a short test timeout fires on time.
/// </summary>
internal sealed class DeadlineTimer
{
    private static readonly TimeSpan MinimumDelay = TimeSpan.FromMilliseconds(1);

    // Orleans refuses timers beyond ~49 days; a far deadline is reached in steps (the callback re-arms).
    private static readonly TimeSpan MaximumDelay = TimeSpan.FromDays(1);

    private readonly Grain _grain;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly TimeProvider _clock;
    private readonly bool _keepAlive;
    private readonly ArmedTimers _armed;
    private IGrainTimer? _timer;

    public DeadlineTimer(Grain grain, TimeProvider clock, Func<CancellationToken, Task> callback, bool keepAlive, ArmedTimers armed)
    {
        _grain = grain;
        _armed = armed;
        _clock = clock;
        _callback = callback;
        _keepAlive = keepAlive;
    }

    public DateTimeOffset? Due { get; private set; }

    /// <summary>
    /// Fires at <paramref name="due"/> at the latest, or never when null. Re-arming costs a lock in the runtime's
    /// timer wheel, so a timer already set to fire sooner is left alone: when it fires, the grain looks at what is due
    /// and arms again.
    /// </summary>
    public void ArmAt(DateTimeOffset? due)
    {
        var now = _clock.GetUtcNow();
        if (due is null)
        {
            // Nothing left to wait for: an idle grain keeps no timer armed (a wake-up it would not need).
            if (Due is not null)
            {
                Due = null;
                _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _armed.Disarmed(_grain.GetGrainId());
            }

            return;
        }

        if (Due is { } armed && armed > now && due.Value >= armed)
        {
            return;
        }

        Due = due;

        _armed.Armed(_grain.GetGrainId());

        var delay = due.Value - now;
        if (delay < MinimumDelay)
        {
            delay = MinimumDelay;
        }
        else if (delay > MaximumDelay)
        {
            delay = MaximumDelay;
        }

        if (_timer is null)
        {
            _timer = _grain.RegisterGrainTimer(
                FireAsync,
                new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { KeepAlive = _keepAlive, Interleave = false });
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private Task FireAsync(CancellationToken cancellationToken)
    {
        // The callback re-arms for whatever is due next.
        Due = null;
        _armed.Disarmed(_grain.GetGrainId());
        return _callback(cancellationToken);
    }

    /// <summary>Stops the timer for good (Orleans also disposes grain timers when the grain deactivates).</summary>
    public void Stop()
    {
        _timer?.Dispose();
        _armed.Disarmed(_grain.GetGrainId());
    }
}
