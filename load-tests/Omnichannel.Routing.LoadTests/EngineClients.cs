using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Omnichannel.Routing.TestSupport;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.LoadTests;

/// <summary>
/// The gRPC connections of the load client. Unary calls go round-robin over a few channels; offer streams get
/// channels of their own, each allowed to open more HTTP/2 connections once one holds its maximum of concurrent
/// streams (100 in Kestrel by default), so 50,000 desks can each hold one stream. Given several silos' addresses,
/// every address gets its channels, calls go round-robin over all of them, and a desk that reopens its stream moves
/// to the next silo — what a client behind a load balancer sees when a silo goes away. Against a host that requires
/// tokens, every call carries the token of the role its service admits (<see cref="RoleTokens"/>).
/// </summary>
internal sealed class EngineClients : IDisposable
{
    /// <summary>Streams per channel before the next channel is used; each channel opens connections as it needs.</summary>
    private const int StreamsPerChannel = 2_000;

    private readonly GrpcChannel[] _unary;
    private readonly GrpcChannel[] _streams;
    private readonly RoleTokens? _tokens;
    private readonly RoutingService.RoutingServiceClient[] _routing;
    private readonly AgentService.AgentServiceClient[] _agents;
    private readonly AdminService.AdminServiceClient[] _admin;
    private int _next;

    public EngineClients(string address, int unaryChannels, int expectedStreams, TestTokens? tokens = null)
        : this([address], unaryChannels, expectedStreams, tokens)
    {
    }

    public EngineClients(IReadOnlyList<string> addresses, int unaryChannels, int expectedStreams, TestTokens? tokens = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        _tokens = tokens is null ? null : new RoleTokens(tokens);
        Address = addresses[0];
        Addresses = addresses;
        var streamChannels = Math.Max(1, (expectedStreams + StreamsPerChannel - 1) / StreamsPerChannel);
        // Silo-minor, so consecutive calls (and a call's retries) go to different silos.
        _unary = [.. Enumerable.Range(0, Math.Max(1, unaryChannels)).SelectMany(_ => addresses.Select(Create))];
        // Address-major within each group, so stream channel i serves address i % n.
        _streams = [.. Enumerable.Range(0, streamChannels).SelectMany(_ => addresses.Select(Create))];
        _routing = _unary.Select(c => new RoutingService.RoutingServiceClient(Calls(c))).ToArray();
        _agents = _unary.Select(c => new AgentService.AgentServiceClient(Calls(c))).ToArray();
        _admin = _unary.Select(c => new AdminService.AdminServiceClient(Calls(c))).ToArray();
    }

    public string Address { get; }

    public IReadOnlyList<string> Addresses { get; }

    public RoutingService.RoutingServiceClient Routing => _routing[Next()];

    public AgentService.AgentServiceClient Agents => _agents[Next()];

    public AdminService.AdminServiceClient Admin => _admin[Next()];

    /// <summary>The client for desk <paramref name="index"/>'s offer stream, its <paramref name="opening"/>th time (each reopening tries the next silo).</summary>
    public AgentService.AgentServiceClient StreamFor(int index, int opening = 0)
    {
        var silos = Addresses.Count;
        var group = index / StreamsPerChannel % (_streams.Length / silos);
        var silo = (index + opening) % silos;
        return new(Calls(_streams[(group * silos) + silo]));
    }

    private CallInvoker Calls(GrpcChannel channel) => _tokens is null ? channel.CreateCallInvoker() : channel.Intercept(_tokens);

    public static GrpcChannel Create(string address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        },
        MaxReceiveMessageSize = 64 * 1024 * 1024,
    });

    /// <summary>
    /// Runs one unary call, timing it and counting its outcome under <paramref name="rpc"/>. Answers null on a
    /// failure, which is counted by status code.
    /// </summary>
    public static async Task<T?> CallAsync<T>(RunMetrics metrics, string rpc, Func<Task<T>> call)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(call);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var answer = await call().ConfigureAwait(false);
            metrics.RpcOk(rpc, Stopwatch.GetElapsedTime(started));
            return answer;
        }
        catch (RpcException e)
        {
            metrics.RpcFailed(rpc, e.StatusCode);
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var channel in _unary.Concat(_streams))
        {
            channel.Dispose();
        }
    }

    private int Next() => (int)((uint)Interlocked.Increment(ref _next) % (uint)_unary.Length);
}
