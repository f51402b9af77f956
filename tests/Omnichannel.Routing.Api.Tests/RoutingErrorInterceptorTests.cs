using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Api.Tests.Support;

namespace Omnichannel.Routing.Api.Tests;

public sealed class RoutingErrorInterceptorTests
{
    private readonly RoutingErrorInterceptor _interceptor = new(NullLogger<RoutingErrorInterceptor>.Instance);

    public static TheoryData<RoutingErrorCode, StatusCode> Codes => new()
    {
        { RoutingErrorCode.InvalidArgument, StatusCode.InvalidArgument },
        { RoutingErrorCode.NotFound, StatusCode.NotFound },
        { RoutingErrorCode.FailedPrecondition, StatusCode.FailedPrecondition },
        { RoutingErrorCode.AlreadyExists, StatusCode.AlreadyExists },
        { RoutingErrorCode.ResourceExhausted, StatusCode.ResourceExhausted },
        { RoutingErrorCode.PermissionDenied, StatusCode.PermissionDenied },
        { RoutingErrorCode.Unavailable, StatusCode.Unavailable },
    };

    [Fact]
    public void Every_refusal_code_has_a_status_code_of_its_own()
    {
        Assert.Equal(System.Enum.GetValues<RoutingErrorCode>().Length, Codes.Count);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public async Task A_refusal_from_the_engine_becomes_its_status_code_with_the_message_kept(RoutingErrorCode code, StatusCode expected)
    {
        var refusal = new RoutingException(code, "queue_id", "queue_id: refused for the test");

        var error = await Assert.ThrowsAsync<RpcException>(() => CallThrowing(refusal));

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal("queue_id: refused for the test", error.Status.Detail);
    }

    [Fact]
    public async Task A_timeout_or_an_unreachable_cluster_is_unavailable_and_asks_for_a_retry()
    {
        var timeout = await Assert.ThrowsAsync<RpcException>(() => CallThrowing(new TimeoutException("grain call timed out")));
        var down = await Assert.ThrowsAsync<RpcException>(() => CallThrowing(new SiloUnavailableException()));

        Assert.Equal(StatusCode.Unavailable, timeout.StatusCode);
        Assert.Contains("request_id", timeout.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unavailable, down.StatusCode);
    }

    [Fact]
    public async Task Anything_unexpected_is_internal_without_its_details()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => CallThrowing(new InvalidOperationException("secret connection string")));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("secret", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_the_service_chose_passes_through_unchanged()
    {
        var chosen = new RpcException(new Status(StatusCode.ResourceExhausted, "at capacity"));

        var error = await Assert.ThrowsAsync<RpcException>(() => CallThrowing(chosen));

        Assert.Same(chosen, error);
    }

    [Fact]
    public async Task A_stream_ended_by_its_caller_is_not_reported_as_a_failure()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var context = TestServerCallContext.Create(cancellationToken: cancelled.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _interceptor.ServerStreamingServerHandler<string, string>(
            "request",
            new TestServerStreamWriter<string>(),
            context,
            (_, _, c) => Task.FromCanceled(c.CancellationToken)));
    }

    [Fact]
    public async Task A_refusal_in_a_stream_becomes_its_status_code()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _interceptor.ServerStreamingServerHandler<string, string>(
            "request",
            new TestServerStreamWriter<string>(),
            TestServerCallContext.Create(),
            (_, _, _) => throw RoutingException.NotFound("agent_id", "agent", "a-1")));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.StartsWith("agent_id:", error.Status.Detail, StringComparison.Ordinal);
    }

    private Task<string> CallThrowing(Exception exception) =>
        _interceptor.UnaryServerHandler<string, string>("request", TestServerCallContext.Create(), (_, _) => Task.FromException<string>(exception));
}
