using System.Collections.Concurrent;

namespace Omnichannel.Routing.Grains.Recovery;

/// <summary>
/// One call per item, at most <see cref="RecoveryOptions.Parallelism"/> in flight: that many workers take the items in
/// turn, each starting after a random delay below <see cref="RecoveryOptions.Jitter"/> so they do not reach the
/// database in step. The items whose call failed are tried again, and only they, after a backoff that doubles up to
/// <see cref="RecoveryOptions.MaxRetryBackoff"/> (plus a jitter), until every item has succeeded or the pass is
/// cancelled. Hand-written rather than a resilience pipeline: a
/// pipeline retries one call, where recovery must retry the failed part of a set.
/// </summary>
internal sealed class BoundedFanOut
{
    private readonly RecoveryOptions _options;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Random _random;

    /// <param name="options">Parallelism, jitter and backoff.</param>
    /// <param name="delay">How to wait (tests record the waits instead); <see cref="Task.Delay(TimeSpan, CancellationToken)"/> by default.</param>
    /// <param name="random">Where the jitter comes from.</param>
    public BoundedFanOut(RecoveryOptions options, Func<TimeSpan, CancellationToken, Task>? delay = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Parallelism, nameof(options.Parallelism));
        _options = options;
        _delay = delay ?? Task.Delay;
        _random = random ?? Random.Shared;
    }

    /// <summary>
    /// Calls <paramref name="call"/> for every item until each has succeeded once. <paramref name="failed"/> hears of
    /// each round with failures: the round, how many failed, the first failure, and the wait before the retry.
    /// </summary>
    public async Task<FanOutResult> RunAsync<T>(
        IReadOnlyCollection<T> items,
        Func<T, CancellationToken, Task> call,
        Action<FanOutFailure>? failed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(call);
        var pending = items.ToList();
        var retries = 0;
        for (var round = 1; ; round++)
        {
            var failures = new ConcurrentQueue<(T Item, Exception Error)>();
            var queue = new ConcurrentQueue<T>(pending);
            var workers = Enumerable.Range(0, Math.Min(_options.Parallelism, pending.Count)).Select(async _ =>
            {
                // Staggered starts: the workers do not reach the database in step.
                await _delay(Jitter(), cancellationToken);
                while (queue.TryDequeue(out var item))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        await call(item, cancellationToken);
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        failures.Enqueue((item, e));
                    }
                }
            });
            await Task.WhenAll(workers);

            if (failures.IsEmpty)
            {
                return new FanOutResult(items.Count, retries);
            }

            var backoff = Backoff(round) + Jitter();
            failed?.Invoke(new FanOutFailure(round, failures.Count, pending.Count, failures.First().Error, backoff));
            retries += failures.Count;
            pending = [.. failures.Select(f => f.Item)];
            await _delay(backoff, cancellationToken);
        }
    }

    /// <summary>One call, retried with the same backoff until it succeeds (a query the pass cannot go on without).</summary>
    public async Task<TResult> CallAsync<TResult>(Func<CancellationToken, Task<TResult>> call, Action<FanOutFailure>? failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        TResult result = default!;
        await RunAsync([0], async (_, token) => result = await call(token), failed, cancellationToken);
        return result;
    }

    /// <summary>A delay in [0, jitter).</summary>
    internal TimeSpan Jitter() =>
        _options.Jitter <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)(_random.NextDouble() * _options.Jitter.Ticks));

    /// <summary>The wait after round <paramref name="round"/> failed: doubling from the first backoff, capped.</summary>
    internal TimeSpan Backoff(int round)
    {
        var doubled = _options.RetryBackoff.Ticks * Math.Pow(2, Math.Min(round - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(doubled, _options.MaxRetryBackoff.Ticks));
    }
}

/// <summary>What a fan-out did: how many items, and how many calls were retries.</summary>
internal readonly record struct FanOutResult(int Items, int Retries);

/// <summary>One round of a fan-out in which some calls failed.</summary>
internal sealed record FanOutFailure(int Round, int Failed, int Attempted, Exception FirstError, TimeSpan RetryIn);
