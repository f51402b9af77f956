using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;

namespace Omnichannel.Routing.Api;

/// <summary>
/// Renews the observer registration of every stream open on this host, each on its own period, from one loop. A
/// timer and a <c>Task.WhenAny</c> per open stream were most of an idle host's CPU with thousands of desktops
/// attached; one loop ticking four times a second costs the same for ten streams or fifty thousand. A stream's
/// first renewal falls at a random point of its second half-period, so streams opened together do not renew together.
/// </summary>
public sealed class ObserverRenewals : BackgroundService
{
    /// <summary>How often the loop looks for renewals due.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<Renewal, byte> _renewals = new();
    private readonly TimeProvider _clock;

    public ObserverRenewals(TimeProvider clock) => _clock = clock;

    /// <summary>Streams whose registration is being renewed.</summary>
    public int Count => _renewals.Count;

    /// <summary>
    /// Calls <paramref name="renew"/> every <paramref name="period"/> until the answer is disposed. A renewal that
    /// throws is reported to <paramref name="failed"/> (the stream ends with that error) and stops; one still running
    /// when its next is due is not started twice.
    /// </summary>
    public IDisposable Every(TimeSpan period, Func<Task> renew, Action<Exception> failed)
    {
        ArgumentNullException.ThrowIfNull(renew);
        ArgumentNullException.ThrowIfNull(failed);
        var renewal = new Renewal(this, period, renew, failed, _clock.GetUtcNow() + (period * (0.5 + (Random.Shared.NextDouble() / 2))));
        _renewals.TryAdd(renewal, 0);
        return renewal;
    }

    /// <summary>Starts every renewal due now; the task ends when those have (the loop does not wait for it).</summary>
    internal Task RenewDueAsync()
    {
        var now = _clock.GetUtcNow();
        List<Task>? started = null;
        foreach (var renewal in _renewals.Keys)
        {
            if (renewal.TryStart(now) is { } running)
            {
                (started ??= []).Add(running);
            }
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

    private sealed class Renewal(ObserverRenewals owner, TimeSpan period, Func<Task> renew, Action<Exception> failed, DateTimeOffset firstDue) : IDisposable
    {
        private DateTimeOffset _due = firstDue;
        private int _running;

        public Task? TryStart(DateTimeOffset now)
        {
            if (_due > now || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
            {
                return null;
            }

            _due = now + period;
            return RunAsync();
        }

        public void Dispose() => owner._renewals.TryRemove(this, out _);

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
