using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Omnichannel.LoadTests.V1;

namespace Omnichannel.Routing.LoadTests;

/// <summary>The ceiling phase's figures for one kind of call.</summary>
/// <param name="Name">What was called.</param>
/// <param name="Callers">Callers in flight.</param>
/// <param name="Length">How long they called.</param>
/// <param name="Ok">Calls answered OK.</param>
/// <param name="Failed">Calls that failed.</param>
/// <param name="Latency">Latency of each call.</param>
internal sealed record CeilingResult(string Name, int Callers, TimeSpan Length, long Ok, long Failed, LatencySummary Latency)
{
    public double PerSecond => Ok / Length.TotalSeconds;
}

/// <summary>
/// The bare gRPC ceiling: the same client machinery (channels, handler settings, callers in flight) calling an echo
/// that does nothing, served by a host set up like the engine's. What the engine reaches is reported as a ratio to it.
/// </summary>
internal static class EchoCeiling
{
    public static async Task<CeilingResult> RunAsync(string address, int callers, TimeSpan length, int unaryChannels)
    {
        var channels = Enumerable.Range(0, Math.Max(1, unaryChannels)).Select(_ => EngineClients.Create(address)).ToArray();
        try
        {
            var clients = channels.Select(c => new EchoService.EchoServiceClient(c)).ToArray();

            // About the size of a RouteInteraction request of the load (ids, channel, skills, context).
            var payload = ByteString.CopyFrom(new byte[180]);
            var latency = new LatencyRecorder();
            long ok = 0, failed = 0, next = 0;

            // Warm the connections and the server's JIT first, as the engine is warm by the time it is measured.
            using (var warm = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Min(2, length.TotalSeconds))))
            {
                await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
                {
                    while (!warm.IsCancellationRequested)
                    {
                        try
                        {
                            await clients[Interlocked.Increment(ref next) % clients.Length].EchoAsync(new EchoRequest { Payload = payload }).ResponseAsync.ConfigureAwait(false);
                        }
                        catch (RpcException)
                        {
                            // Counted in the measured part only.
                        }
                    }
                }))).ConfigureAwait(false);
            }

            using var stop = new CancellationTokenSource(length);
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        var client = clients[Interlocked.Increment(ref next) % clients.Length];
                        await client.EchoAsync(new EchoRequest { Payload = payload }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync.ConfigureAwait(false);
                        latency.Record(Stopwatch.GetElapsedTime(started));
                        Interlocked.Increment(ref ok);
                    }
                    catch (RpcException)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
            }))).ConfigureAwait(false);
            return new CeilingResult("Echo (bare gRPC)", callers, length, ok, failed, latency.Total());
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }
}
