using System.Diagnostics;
using Grpc.Core;
using Omnichannel.Routing.V1;
using Xunit.Abstractions;

namespace Omnichannel.Routing.EndToEnd.Tests;

/// <summary>
/// SIGTERM, as Kubernetes sends it before replacing a pod: the host stops taking calls, hands its streams back so
/// desktops reconnect elsewhere, and exits cleanly within its shutdown timeout.
/// </summary>
public sealed class GracefulStopTests(ITestOutputHelper output)
{
    /// <summary>
    /// Long enough that a stream held open until the timeout (what happens without the drain) is told apart from one
    /// ended at once; the host's own exit then comes at most 10 s past it.
    /// </summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task On_SIGTERM_open_streams_end_with_UNAVAILABLE_at_once_and_the_host_exits_cleanly_within_its_timeout()
    {
        await using var host = await HostProcess.StartAsync($"--Host:ShutdownTimeout=00:00:{ShutdownTimeout.TotalSeconds:00}");
        var engine = new EngineClient(host.Channel);
        var queue = await engine.QueueAsync("graceful-stop");
        var agent = await engine.AgentAsync("graceful-agent", [queue]);
        await engine.Agents.SignInAsync(new SignInRequest { AgentId = agent });

        using var offers = engine.Agents.WatchOffers(new WatchOffersRequest { AgentId = agent });
        Assert.True(await offers.ResponseStream.MoveNext(), "the offer stream sent no first status");
        using var stats = engine.Supervisor.WatchQueueStats(new WatchQueueStatsRequest { QueueIds = { queue } });
        Assert.True(await stats.ResponseStream.MoveNext(), "the statistics stream sent no first figures");

        var clock = Stopwatch.StartNew();
        var offersEnded = EndOfAsync(offers.ResponseStream, clock);
        var statsEnded = EndOfAsync(stats.ResponseStream, clock);
        var exited = host.TerminateAsync(ShutdownTimeout + TimeSpan.FromSeconds(15));

        var (offersStatus, offersAt) = await offersEnded;
        var (statsStatus, statsAt) = await statsEnded;
        Assert.True(await exited, "the host did not exit after SIGTERM");
        var exitedAt = clock.Elapsed;
        output.WriteLine($"offer stream ended {offersAt.TotalSeconds:F1} s after SIGTERM ({offersStatus.StatusCode}), statistics stream {statsAt.TotalSeconds:F1} s ({statsStatus.StatusCode}), process exited at {exitedAt.TotalSeconds:F1} s with {host.ExitCode}");

        Assert.Equal(StatusCode.Unavailable, offersStatus.StatusCode);
        Assert.Contains("silo is stopping", offersStatus.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unavailable, statsStatus.StatusCode);
        // Ended by the drain, not by the stop timing out on them.
        Assert.True(offersAt < ShutdownTimeout / 2, $"the offer stream stayed open {offersAt.TotalSeconds:F1} s into the stop");
        Assert.True(statsAt < ShutdownTimeout / 2, $"the statistics stream stayed open {statsAt.TotalSeconds:F1} s into the stop");
        // A clean stop, not the host's last-resort exit 10 s past the timeout.
        Assert.Equal(0, host.ExitCode);
        Assert.True(exitedAt < ShutdownTimeout, $"the stop took {exitedAt.TotalSeconds:F1} s, past its {ShutdownTimeout.TotalSeconds} s timeout");
    }

    private static async Task<(Status Status, TimeSpan At)> EndOfAsync<T>(IAsyncStreamReader<T> stream, Stopwatch clock)
    {
        try
        {
            while (await stream.MoveNext(CancellationToken.None))
            {
            }

            return (Status.DefaultSuccess, clock.Elapsed);
        }
        catch (RpcException e)
        {
            return (e.Status, clock.Elapsed);
        }
    }
}
