using Microsoft.Extensions.Time.Testing;

namespace Omnichannel.Routing.Api.Tests;

public sealed class ObserverRenewalsTests : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly ObserverRenewals _renewals;

    public ObserverRenewalsTests() => _renewals = new ObserverRenewals(_clock);

    [Fact]
    public async Task A_stream_is_first_renewed_within_its_first_period_then_once_per_period()
    {
        var renewed = 0;
        using var renewal = _renewals.Every(Period, () => Task.FromResult(Interlocked.Increment(ref renewed)), _ => { });

        await AdvanceAsync(Period / 2 - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, renewed);

        await AdvanceAsync(Period / 2 + TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, renewed);

        await AdvanceAsync(Period - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, renewed);

        await AdvanceAsync(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, renewed);
    }

    [Fact]
    public async Task Streams_opened_together_are_renewed_at_different_times()
    {
        var firstRenewals = new List<DateTimeOffset>();
        var renewals = Enumerable.Range(0, 50)
            .Select(_ =>
            {
                var first = true;
                return _renewals.Every(Period, () =>
                {
                    if (first)
                    {
                        first = false;
                        firstRenewals.Add(_clock.GetUtcNow());
                    }

                    return Task.CompletedTask;
                }, _ => { });
            })
            .ToList();

        for (var step = 0; step < 40; step++)
        {
            await AdvanceAsync(ObserverRenewals.Tick);
        }

        Assert.Equal(50, firstRenewals.Count);
        Assert.True(firstRenewals.Distinct().Count() > 5, $"first renewals fell on {firstRenewals.Distinct().Count()} ticks only");
        renewals.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task A_closed_stream_is_no_longer_renewed()
    {
        var renewed = 0;
        var renewal = _renewals.Every(Period, () => Task.FromResult(Interlocked.Increment(ref renewed)), _ => { });
        Assert.Equal(1, _renewals.Count);

        renewal.Dispose();
        await AdvanceAsync(Period * 3);

        Assert.Equal(0, renewed);
        Assert.Equal(0, _renewals.Count);
    }

    [Fact]
    public async Task A_failed_renewal_is_reported_once_and_not_tried_again()
    {
        var tried = 0;
        var failures = new List<Exception>();
        using var renewal = _renewals.Every(Period, () =>
        {
            Interlocked.Increment(ref tried);
            throw new InvalidOperationException("agent unreachable");
        }, failures.Add);

        await AdvanceAsync(Period);
        await AdvanceAsync(Period);

        Assert.Equal(1, tried);
        Assert.Equal("agent unreachable", Assert.Single(failures).Message);
        Assert.Equal(0, _renewals.Count);
    }

    [Fact]
    public async Task A_renewal_still_running_is_not_started_again_and_does_not_hold_up_the_others()
    {
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuckStarts = 0;
        var otherRenewals = 0;
        using var slow = _renewals.Every(Period, () =>
        {
            Interlocked.Increment(ref stuckStarts);
            return stuck.Task;
        }, _ => { });
        using var fast = _renewals.Every(Period, () => Task.FromResult(Interlocked.Increment(ref otherRenewals)), _ => { });

        _clock.Advance(Period);
        var first = _renewals.RenewDueAsync();
        _clock.Advance(Period);
        await _renewals.RenewDueAsync();

        Assert.Equal(1, stuckStarts);
        Assert.Equal(2, otherRenewals);
        stuck.SetResult();
        await first;
    }

    public void Dispose() => _renewals.Dispose();

    /// <summary>Moves the clock on and runs what is due, as the host's loop does on its tick.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        _clock.Advance(by);
        await _renewals.RenewDueAsync();
    }
}
