using System.Security.Claims;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Omnichannel.Routing.Api.Tests.Support;

/// <summary>
/// The call context a service method sees, without a server. Our own small subclass rather than Grpc.Core.Testing,
/// whose last release (2.46) belongs to the retired native Grpc.Core stack; the services read only the method name
/// and the cancellation token.
/// </summary>
public sealed class TestServerCallContext : ServerCallContext
{
    private readonly Metadata _requestHeaders = new();
    private readonly Metadata _responseTrailers = new();
    private readonly Dictionary<object, object> _userState = [];
    private readonly string _method;
    private readonly CancellationToken _cancellationToken;

    private TestServerCallContext(string method, CancellationToken cancellationToken)
    {
        _method = method;
        _cancellationToken = cancellationToken;
    }

    public static TestServerCallContext Create(string method = "/omnichannel.routing.v1.Test/Call", CancellationToken cancellationToken = default) =>
        new(method, cancellationToken);

    /// <summary>A call made with a validated token for <paramref name="subject"/> holding <paramref name="roles"/>.</summary>
    public static TestServerCallContext As(string subject, params string[] roles)
    {
        var claims = roles.Select(r => new Claim("role", r)).Prepend(new Claim("sub", subject));
        var context = Create();
        // Where grpc-dotnet keeps the HTTP context that GetHttpContext() answers.
        context._userState["__HttpContext"] = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer", "sub", "role")) };
        return context;
    }

    protected override string MethodCore => _method;

    protected override string HostCore => "localhost";

    protected override string PeerCore => "ipv4:127.0.0.1:1";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore => _requestHeaders;

    protected override CancellationToken CancellationTokenCore => _cancellationToken;

    protected override Metadata ResponseTrailersCore => _responseTrailers;

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore => new(null, []);

    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException("the services under test do not propagate calls");

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
