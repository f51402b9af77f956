using Microsoft.Extensions.Hosting;

namespace Omnichannel.Routing.Api;

/// <summary>
/// Renews the observer registration of every stream open on this host, each on its own period, from one loop. A
/// timer and a <c>Task.WhenAny</c> per open stream were most of an idle host's CPU with thousands of desktops
/// attached; one loop ticking four times a second, taking from a schedule ordered by due time only the renewals
/// that are due, costs the same for ten streams or fifty thousand. A stream's first renewal falls at a random point
/// of its second half-period, so streams opened together do not renew together.
/// </summary>
public sealed class ObserverRenewals : BackgroundService
{
    /// <summary>How often the loop looks for renewals due.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    // Closed streams are not taken out of the schedule; they are dropped when they come due.
    private readonly PriorityQueue<Renewal, DateTimeOffset> _schedule = new();
    private readonly Lock _scheduleLock = new();
    private readonly TimeProvider _clock;
    private int _count;

    public ObserverRenewals(TimeProvider clock) => _clock = clock;

    /// <summary>Streams whose registration is being renewed.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Calls <paramref name="renew"/> every <paramref name="period"/> until the answer is disposed. A renewal that
    /// throws is reported to <paramref name="failed"/> (the stream ends with that error) and stops; one still running
    /// when its next is due is not started twice, and waits for the period after.
    /// </summary>
    public IDisposable Every(TimeSpan period, Func<Task> renew, Action<Exception> failed)
    {
        ArgumentNullException.ThrowIfNull(renew);
        ArgumentNullException.ThrowIfNull(failed);
        var renewal = new Renewal(this, period, renew, failed);
        Interlocked.Increment(ref _count);
        Schedule(renewal, _clock.GetUtcNow() + (period * (0.5 + (Random.Shared.NextDouble() / 2))));
        return renewal;
    }

    /// <summary>Starts every renewal due now; the task ends when those have (the loop does not wait for it).</summary>
    internal Task RenewDueAsync()
    {
        var now = _clock.GetUtcNow();
        List<Renewal>? due = null;
        lock (_scheduleLock)
        {
            while (_schedule.TryPeek(out var renewal, out var at) && at <= now)
            {
                _schedule.Dequeue();
                if (!renewal.Closed)
                {
                    (due ??= []).Add(renewal);
                }
            }
        }

        if (due is null)
        {
            return Task.CompletedTask;
        }

        List<Task>? started = null;
        foreach (var renewal in due)
        {
            if (renewal.TryStart() is { } running)
            {
                (started ??= []).Add(running);
            }

            Schedule(renewal, now + renewal.Period);
        }

        return started is null ? Task.CompletedTask : Task.WhenAll(started);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Not awaited: a renewal stuck on an unreachable grain must not hold up the others.
                _ = RenewDueAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private void Schedule(Renewal renewal, DateTimeOffset at)
    {
        lock (_scheduleLock)
        {
            _schedule.Enqueue(renewal, at);
        }
    }

    private sealed class Renewal(ObserverRenewals owner, TimeSpan period, Func<Task> renew, Action<Exception> failed) : IDisposable
    {
        private int _running;
        private int _closed;

        public TimeSpan Period => period;

        public bool Closed => Volatile.Read(ref _closed) != 0;

        public Task? TryStart() =>
            Closed || Interlocked.CompareExchange(ref _running, 1, 0) != 0 ? null : RunAsync();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._count);
            }
        }

        private async Task RunAsync()
        {
            try
            {
                await renew();
            }
#pragma warning disable CA1031 // Whatever the renewal failed with ends its stream, through the feed.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Dispose();
                failed(ex);
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
        }
    }
}
