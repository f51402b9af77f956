using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Omnichannel.Routing.EndToEnd.Tests;
using Omnichannel.Routing.V1;
using Xunit.Abstractions;

namespace Omnichannel.Routing.Deploy.Tests;

/// <summary>The host's cluster-mode membership defaults, untuned, as a new user gets them from the local cluster.</summary>
[Collection(OneLocalClusterAtATime.Name)]
public sealed class FailureDetectionTests(ITestOutputHelper output)
{
    /// <summary>
    /// The host's cluster-mode defaults measured 1.3–2.6 s here; Orleans' own took 7.7 s in this test (3 silos) and
    /// 15.6 s with 2. The bound leaves room for a loaded machine and still fails Orleans' defaults.
    /// </summary>
    private static readonly TimeSpan Detection = TimeSpan.FromSeconds(6);

    /// <summary>How long routes are watched after the kill: long enough to see detection well past its bound.</summary>
    private static readonly TimeSpan Watched = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task Routes_through_a_survivor_succeed_again_within_seconds_of_another_silo_being_SIGKILLed()
    {
        await using var cluster = await LocalCluster.UpAsync(3);
        using var channel = GrpcChannel.ForAddress(cluster.Addresses[0]);
        var engine = new EngineClient(channel);
        // Several queues, so that some of their grains (and many new interactions) live on the silo that is killed.
        var queues = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            queues.Add(await engine.QueueAsync($"detection-{i}"));
        }

        await using var routes = SteadyRoutes.Start(engine, queues, TimeSpan.FromMilliseconds(50));
        await routes.WaitForSuccessesAsync(60);

        var killedAt = DateTimeOffset.UtcNow;
        cluster.KillSilo(2);
        await Task.Delay(Watched);
        await routes.StopAsync();

        var afterKill = routes.Outcomes.Where(o => o.SentAt >= killedAt).OrderBy(o => o.SentAt).ToList();
        var failures = afterKill.Where(o => o.Code != StatusCode.OK).ToList();
        var lastFailure = failures.Count == 0 ? TimeSpan.Zero : failures.Max(f => f.SentAt) - killedAt;
        output.WriteLine($"routes sent after the kill: {afterKill.Count}; failed: {failures.Count} ({string.Join(", ", failures.GroupBy(f => f.Code).Select(g => $"{g.Key} {g.Count()}"))}); " +
                         $"the last failed route was sent {lastFailure.TotalSeconds:F1} s after the kill");

        Assert.True(lastFailure < Detection, $"routes through the survivor still failed {lastFailure.TotalSeconds:F1} s after the kill");
        Assert.All(failures, f => Assert.True(f.Code is StatusCode.Unavailable or StatusCode.DeadlineExceeded, $"a route failed with {f.Code}: {f.Detail}"));
        Assert.True(afterKill.Count(o => o.SentAt - killedAt > lastFailure) > 100, "routing did not carry on after the failures");
    }

    /// <summary>Routes sent at a steady pace without waiting for answers, each outcome kept with its send time.</summary>
    private sealed class SteadyRoutes : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentBag<Task> _calls = [];
        private Task _sender = Task.CompletedTask;

        public ConcurrentBag<(DateTimeOffset SentAt, StatusCode Code, string Detail)> Outcomes { get; } = [];

        public static SteadyRoutes Start(EngineClient engine, IReadOnlyList<string> queues, TimeSpan every)
        {
            var routes = new SteadyRoutes();
            routes._sender = Task.Run(() => routes.SendAsync(engine, queues, every));
            return routes;
        }

        public async Task WaitForSuccessesAsync(int count)
        {
            var deadline = DateTime.UtcNow + EngineClient.Wait;
            while (Outcomes.Count(o => o.Code == StatusCode.OK) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{count} routes did not succeed within {EngineClient.Wait}: {string.Join("; ", Outcomes.Take(5))}");
                await Task.Delay(50);
            }
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _sender;
            await Task.WhenAll(_calls);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await StopAsync();
            }

            _stop.Dispose();
        }

        private async Task SendAsync(EngineClient engine, IReadOnlyList<string> queues, TimeSpan every)
        {
            using var timer = new PeriodicTimer(every);
            var sent = 0;
            while (await NextTickAsync(timer))
            {
                var queue = queues[sent++ % queues.Count];
                _calls.Add(RouteAsync(engine, queue));
            }
        }

        private async Task<bool> NextTickAsync(PeriodicTimer timer)
        {
            try
            {
                return await timer.WaitForNextTickAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private async Task RouteAsync(EngineClient engine, string queue)
        {
            var sentAt = DateTimeOffset.UtcNow;
            try
            {
                await engine.Routing.RouteInteractionAsync(
                    new RouteInteractionRequest { CustomerId = engine.Id("customer"), Channel = "chat", QueueId = queue, RequestId = Guid.NewGuid().ToString("N") },
                    deadline: DateTime.UtcNow.AddSeconds(10));
                Outcomes.Add((sentAt, StatusCode.OK, string.Empty));
            }
            catch (RpcException e)
            {
                Outcomes.Add((sentAt, e.StatusCode, e.Status.Detail));
            }
        }
    }
}
