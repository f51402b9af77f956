using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Omnichannel.Routing.TestSupport;

/// <summary>
/// Sends each call with the token of the role its service admits (the README's table): RoutingService and
/// CustomerService as a front-end, AgentService as the agent the request names (its <c>agent_id</c>), WorkforceService
/// as workforce, SupervisorService and ReportingService as a supervisor, AdminService as an administrator. A test
/// client then acts as each caller would, and the log records the principal each role gives.
/// </summary>
public sealed class RoleTokens(TestTokens tokens) : Interceptor
{
    private const string Package = "omnichannel.routing.v1.";

    private readonly ConcurrentDictionary<(string Subject, string Role), string> _minted = new();

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return continuation(request, WithToken(request, context));
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return continuation(request, WithToken(request, context));
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return continuation(request, WithToken(request, context));
    }

    /// <summary>The token a call of <paramref name="serviceName"/> (full name) with <paramref name="request"/> is sent with; null for health and reflection.</summary>
    public string? TokenFor(string serviceName, object? request)
    {
        ArgumentNullException.ThrowIfNull(serviceName);
        if (!serviceName.StartsWith(Package, StringComparison.Ordinal))
        {
            return null;
        }

        var (subject, role) = serviceName[Package.Length..] switch
        {
            "RoutingService" or "CustomerService" => ("test-frontend", "frontend"),
            "AgentService" => (AgentIdOf(request) ?? "test-agent", "agent"),
            "WorkforceService" => ("test-workforce", "workforce"),
            "SupervisorService" or "ReportingService" => ("test-supervisor", "supervisor"),
            _ => ("test-admin", "admin"),
        };
        return _minted.GetOrAdd((subject, role), key => tokens.For(key.Subject, key.Role));
    }

    private ClientInterceptorContext<TRequest, TResponse> WithToken<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        if (TokenFor(context.Method.ServiceName, request) is not { } token)
        {
            return context;
        }

        var headers = new Metadata();
        if (context.Options.Headers is { } existing)
        {
            foreach (var header in existing)
            {
                headers.Add(header);
            }
        }

        headers.Add("authorization", $"Bearer {token}");
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }

    private static string? AgentIdOf(object? request) =>
        request is IMessage message && message.Descriptor.FindFieldByName("agent_id") is { } field && field.Accessor.GetValue(message) is string { Length: > 0 } id
            ? id
            : null;
}
