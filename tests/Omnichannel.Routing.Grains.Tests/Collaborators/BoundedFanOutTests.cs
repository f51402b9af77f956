using System.Collections.Concurrent;
using Omnichannel.Routing.Grains.Recovery;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class BoundedFanOutTests
{
    private readonly ConcurrentQueue<TimeSpan> _waits = new();

    private BoundedFanOut FanOut(int parallelism = 4, TimeSpan? jitter = null) =>
        new(
            new RecoveryOptions
            {
                Parallelism = parallelism,
                Jitter = jitter ?? TimeSpan.Zero,
                RetryBackoff = TimeSpan.FromSeconds(1),
                MaxRetryBackoff = TimeSpan.FromSeconds(5),
            },
            (wait, _) =>
            {
                _waits.Enqueue(wait);
                return Task.CompletedTask;
            },
            new Random(7));

    [Fact]
    public async Task No_more_calls_than_the_parallelism_are_ever_in_flight_and_that_many_are()
    {
        const int parallelism = 4;
        var inFlight = 0;
        var most = 0;
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var result = await FanOut(parallelism).RunAsync(
            Enumerable.Range(0, 40).ToList(),
            async (_, cancellationToken) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                if (now == parallelism)
                {
                    full.TrySetResult();
                }

                // The first calls hold their place until the limit is reached, so the limit is actually met.
                await full.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                Interlocked.Decrement(ref inFlight);
            },
            failed: null,
            CancellationToken.None);

        Assert.Equal(parallelism, most);
        Assert.Equal(new FanOutResult(40, 0), result);
    }

    [Fact]
    public async Task Each_worker_starts_after_a_jitter_below_the_bound_and_the_jitters_differ()
    {
        var jitter = TimeSpan.FromMilliseconds(100);

        await FanOut(parallelism: 16, jitter: jitter).RunAsync(Enumerable.Range(0, 50).ToList(), (_, _) => Task.CompletedTask, failed: null, CancellationToken.None);

        Assert.Equal(16, _waits.Count);
        Assert.All(_waits, wait => Assert.InRange(wait, TimeSpan.Zero, jitter - TimeSpan.FromTicks(1)));
        Assert.True(_waits.Distinct().Count() > 12, "jitter is random, not one fixed delay");
    }

    [Fact]
    public async Task A_retry_waits_its_backoff_plus_a_jitter_below_the_bound()
    {
        var jitter = TimeSpan.FromMilliseconds(100);
        var calls = 0;

        await FanOut(parallelism: 1, jitter: jitter).RunAsync([1], (_, _) => ++calls == 1 ? throw new TimeoutException() : Task.CompletedTask, failed: null, CancellationToken.None);

        var retryWait = Assert.Single(_waits, w => w >= TimeSpan.FromSeconds(1));
        Assert.InRange(retryWait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) + jitter - TimeSpan.FromTicks(1));
    }

    [Fact]
    public async Task Only_the_items_whose_call_failed_are_called_again_after_a_backoff()
    {
        var calls = new ConcurrentDictionary<int, int>();
        var failures = new List<FanOutFailure>();

        var result = await FanOut().RunAsync(
            Enumerable.Range(1, 10).ToList(),
            (item, _) =>
            {
                var call = calls.AddOrUpdate(item, 1, (_, n) => n + 1);
                return (item is 3 or 7 && call == 1) || (item == 7 && call == 2)
                    ? throw new InvalidOperationException($"item {item} failed")
                    : Task.CompletedTask;
            },
            failures.Add,
            CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => i is 3 ? 2 : i is 7 ? 3 : 1), Enumerable.Range(1, 10).Select(i => calls[i]));
        Assert.Equal(new FanOutResult(10, 3), result);
        Assert.Equal([(1, 2, 10), (2, 1, 2)], failures.Select(f => (f.Round, f.Failed, f.Attempted)));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _waits.Where(w => w > TimeSpan.Zero));
    }

    [Fact]
    public void The_backoff_doubles_each_round_up_to_its_ceiling()
    {
        var fanOut = FanOut();

        Assert.Equal(
            [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)],
            Enumerable.Range(1, 5).Select(fanOut.Backoff));
    }

    [Fact]
    public async Task A_single_call_is_retried_until_it_answers()
    {
        var calls = 0;

        var answer = await FanOut().CallAsync(_ => ++calls < 3 ? throw new TimeoutException("database down") : Task.FromResult("answered"), failed: null, CancellationToken.None);

        Assert.Equal("answered", answer);
        Assert.Equal(3, calls);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var prior = Interlocked.CompareExchange(ref target, value, seen);
            if (prior == seen)
            {
                return;
            }

            seen = prior;
        }
    }
}
