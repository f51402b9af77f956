namespace Omnichannel.Routing.LoadTests;

/// <summary>
/// Reads the host process every second while it runs: the latest reading, and the highest resident memory seen
/// (the kernel's own high-water mark, VmHWM, is read too; it catches peaks between two readings).
/// </summary>
internal sealed class HostWatch : IAsyncDisposable
{
    private readonly int? _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private ProcessReading? _latest;

    public HostWatch(int? pid)
    {
        _pid = pid;
        _latest = pid is { } p ? ProcessSampler.Read(p) : null;
        _loop = pid is null ? Task.CompletedTask : LoopAsync();
    }

    public bool Known => _pid is not null && _latest is not null;

    /// <summary>A fresh reading (null when the host's process is unknown).</summary>
    public ProcessReading? Now()
    {
        if (_pid is { } pid && ProcessSampler.Read(pid) is { } reading)
        {
            _latest = reading;
        }

        return _latest;
    }

    /// <summary>Highest resident memory of the host since it started.</summary>
    public long? PeakRss => Now()?.PeakRssBytes ?? _latest?.PeakRssBytes;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            Now();
        }
    }
}
