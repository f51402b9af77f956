using System.Diagnostics;
using Grpc.Core;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.LoadTests;

/// <summary>What a run shares between its front-ends and desks.</summary>
internal sealed class RunState(RunMetrics metrics, InteractionLedger ledger, DeskTiming timing, ContactCentreModel model)
{
    public RunMetrics Metrics { get; set; } = metrics;

    public InteractionLedger Ledger { get; } = ledger;

    public DeskTiming Timing { get; } = timing;

    public ContactCentreModel Model { get; } = model;

    /// <summary>Time since the run began, for the notes the audit prints.</summary>
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>Offers per queue over time, from the measured window on (replaced when it starts).</summary>
    public QueueGaps QueueGaps { get; set; } = new();

    private long _sequence;

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    private long _inFlight;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public void Sent() => Interlocked.Increment(ref _inFlight);

    public void Answered() => Interlocked.Decrement(ref _inFlight);
}

/// <summary>The rate of arrivals at a moment of the run, in arrivals per second.</summary>
internal delegate double ArrivalRate(TimeSpan sinceStart);

/// <summary>
/// Front-ends routing interactions at a target rate, open loop: each arrival's send time is fixed by the clock, not
/// by the previous answer, so a slow engine meets the same arrivals and its slowness shows in the latencies instead
/// of thinning the load. When the client falls behind it catches up by sending every overdue arrival at once, and
/// latencies count from the intended time (no coordinated omission).
/// </summary>
internal sealed class FrontEnd
{
    /// <summary>Beyond this many unanswered routes the client stops sending and counts the arrival as refused by itself.</summary>
    private const int MaxInFlight = 50_000;

    /// <summary>How long a front-end that retries keeps at one arrival before it gives up on it.</summary>
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(60);

    private readonly EngineClients _clients;
    private readonly RunState _run;
    private readonly Random _random;
    private readonly bool _retries;

    // retries: whether a route answered UNAVAILABLE, or not answered in time, is sent again with the same request_id
    // (through the next channel, so perhaps another silo), as a telephony front-end does while silos come and go. Off
    // for the scenarios that measure the engine, so their failures show as they happen.
    public FrontEnd(EngineClients clients, RunState run, int seed, bool retries = false)
    {
        _clients = clients;
        _run = run;
        _random = new Random(seed);
        _retries = retries;
    }

    /// <summary>Routes arrivals at <paramref name="rate"/> from now until <paramref name="stop"/>.</summary>
    public async Task RunOpenLoopAsync(ArrivalRate rate, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(rate);
        var start = Stopwatch.GetTimestamp();
        var next = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            var now = Stopwatch.GetElapsedTime(start);
            while (next <= now)
            {
                var intended = start + (long)(next.TotalSeconds * Stopwatch.Frequency);
                if (_run.InFlight >= MaxInFlight)
                {
                    _run.Metrics.RpcFailed("RouteInteraction", StatusCode.ResourceExhausted);
                    _run.Metrics.Count("arrivals not sent: client backlog full");
                }
                else
                {
                    _ = RouteAsync(intended);
                }

                next += TimeSpan.FromSeconds(1 / Math.Max(0.001, rate(next)));
            }

            var wait = next - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    // Timers tick in about a millisecond here: arrivals due within one tick go out together.
                    await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Routes one arrival that was due at <paramref name="intended"/> (a Stopwatch timestamp); answers whether it was acknowledged.</summary>
    public async Task<bool> RouteAsync(long intended)
    {
        RouteInteractionRequest request;
        lock (_random)
        {
            request = _run.Model.Arrival(_run.NextSequence(), _random, intended);
        }

        var metrics = _run.Metrics;
        var sent = Stopwatch.GetTimestamp();
        metrics.SendLag.Record(Stopwatch.GetElapsedTime(intended, sent));
        _run.Sent();
        try
        {
            var answer = await SendAsync(request, sent).ConfigureAwait(false);
            var done = Stopwatch.GetTimestamp();
            metrics.RpcOk("RouteInteraction", Stopwatch.GetElapsedTime(sent, done));
            metrics.RouteFromIntended.Record(Stopwatch.GetElapsedTime(intended, done));
            metrics.RoutedOk();
            var tracked = _run.Ledger[answer.Interaction.InteractionId];
            tracked.Channel = request.Channel;
            tracked.Acknowledged = true;
            return true;
        }
        catch (RpcException e)
        {
            metrics.RpcFailed("RouteInteraction", e.StatusCode);
            if (_retries)
            {
                metrics.Count($"routes failed after retries: {e.StatusCode}");
            }

            if (e.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled)
            {
                // The engine may have routed it before the answer was lost: the audit asks again with the same request_id.
                _run.Ledger.Ambiguous(request);
            }

            return false;
        }
        finally
        {
            _run.Answered();
        }
    }

    /// <summary>One route; with retries on, sent again on a transient failure until it is answered or <see cref="RetryFor"/> has passed.</summary>
    private async Task<RouteInteractionResponse> SendAsync(RouteInteractionRequest request, long sent)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _clients.Routing.RouteInteractionAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ConfigureAwait(false);
            }
            catch (RpcException e) when (_retries && IsTransient(e.StatusCode) && Stopwatch.GetElapsedTime(sent) < RetryFor)
            {
                _run.Metrics.Count($"routes retried after {e.StatusCode}");
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 100 * attempt))).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled or StatusCode.ResourceExhausted;

    /// <summary>The ceiling phase's load: <paramref name="callers"/> callers each routing as fast as answers come back.</summary>
    public async Task<long> RunClosedLoopAsync(int callers, TimeSpan length)
    {
        using var stop = new CancellationTokenSource(length);
        long acknowledged = 0;
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (await RouteAsync(Stopwatch.GetTimestamp()).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref acknowledged);
                }
            }
        }));
        await Task.WhenAll(workers).ConfigureAwait(false);
        return acknowledged;
    }
}
