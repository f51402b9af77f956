using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Security;

/// <summary>
/// The README's access table, generated over every RPC of the eight services: each role is admitted exactly where the
/// table says, and a missing, expired, forged or misaddressed token is refused everywhere. Requests are empty, so an
/// admitted call ends in the service's own answer (mostly INVALID_ARGUMENT), never PERMISSION_DENIED.
/// </summary>
public sealed class AccessMatrixTests(SecureHostFixture fixture) : IClassFixture<SecureHostFixture>
{
    private static readonly string[] Roles = ["frontend", "agent", "workforce", "supervisor", "admin"];

    /// <summary>The README's table: a method's own entry wins over its service's.</summary>
    private static readonly Dictionary<string, string[]> Admitted = new()
    {
        ["RoutingService"] = ["frontend", "admin"],
        ["AgentService"] = ["agent", "admin"],
        ["WorkforceService"] = ["workforce", "admin"],
        ["SupervisorService"] = ["supervisor", "admin"],
        ["AdminService"] = ["admin"],
        ["CustomerService.UpsertCustomer"] = ["frontend", "admin"],
        ["CustomerService.GetCustomerJourney"] = ["frontend", "supervisor", "admin"],
        ["ReportingService"] = ["workforce", "supervisor", "admin"],
        ["WallboardService"] = ["supervisor", "admin"],
    };

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    private readonly GrpcChannel _channel = fixture.ChannelWith(token: null);

    public static TheoryData<string, string, string> EveryRpcAndRole()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var method in EveryRpc())
        {
            foreach (var role in Roles)
            {
                data.Add(method.Service.Name, method.Name, role);
            }
        }

        return data;
    }

    public static TheoryData<string, string, string> EveryRpcAndBadToken()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var method in EveryRpc())
        {
            foreach (var token in new[] { "none", "expired", "another key", "another audience" })
            {
                data.Add(method.Service.Name, method.Name, token);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRpcAndRole))]
    public async Task Each_role_is_admitted_exactly_where_the_table_says(string service, string method, string role)
    {
        var admitted = (Admitted.GetValueOrDefault($"{service}.{method}") ?? Admitted[service]).Contains(role);

        var code = await CallAsync(service, method, fixture.Tokens.For($"{role}-principal", role));

        if (admitted)
        {
            Assert.NotEqual(StatusCode.PermissionDenied, code);
            Assert.NotEqual(StatusCode.Unauthenticated, code);
        }
        else
        {
            Assert.Equal(StatusCode.PermissionDenied, code);
        }
    }

    [Theory]
    [MemberData(nameof(EveryRpcAndBadToken))]
    public async Task A_missing_expired_forged_or_misaddressed_token_is_unauthenticated_everywhere(string service, string method, string token)
    {
        var bearer = token switch
        {
            "none" => null,
            "expired" => fixture.Tokens.Expired("admin-principal", "admin"),
            "another key" => TestTokens.SignedWithAnotherKey("admin-principal", "admin"),
            _ => fixture.Tokens.ForAnotherAudience("admin-principal", "admin"),
        };

        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(service, method, bearer));
    }

    [Fact]
    public async Task Health_and_reflection_stay_open_without_a_token()
    {
        var health = new Health.HealthClient(_channel);
        var reflection = new ServerReflection.ServerReflectionClient(_channel);

        var answer = await health.CheckAsync(new HealthCheckRequest());
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == RoutingService.Descriptor.FullName);
    }

    [Fact]
    public void Every_service_has_a_row_in_the_table()
    {
        Assert.All(EveryRpc(), m => Assert.True(Admitted.ContainsKey(m.Service.Name) || Admitted.ContainsKey($"{m.Service.Name}.{m.Name}"), m.FullName));
    }

    private static IEnumerable<MethodDescriptor> EveryRpc() =>
        new[] { RoutingService.Descriptor, AgentService.Descriptor, WorkforceService.Descriptor, SupervisorService.Descriptor, AdminService.Descriptor, CustomerService.Descriptor, ReportingService.Descriptor, WallboardService.Descriptor }
            .SelectMany(s => s.Methods);

    /// <summary>Calls the RPC with an empty request; the status it ends in (OK for a stream that delivered a message).</summary>
    private async Task<StatusCode> CallAsync(string service, string name, string? token)
    {
        var descriptor = EveryRpc().Single(m => m.Service.Name == service && m.Name == name);
        var method = new Method<byte[], byte[]>(descriptor.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary, descriptor.Service.FullName, descriptor.Name, Raw, Raw);
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("Authorization", $"Bearer {token}");
        }

        // A stream the role may open stays open; its deadline ends it, which is not a refusal. Unary calls get room
        // for a busy machine.
        var options = new CallOptions(headers, DateTime.UtcNow + (descriptor.IsServerStreaming ? TimeSpan.FromSeconds(5) : EngineClient.Wait));
        var invoker = _channel.CreateCallInvoker();
        try
        {
            if (descriptor.IsServerStreaming)
            {
                using var call = invoker.AsyncServerStreamingCall(method, null, options, []);
                await call.ResponseStream.MoveNext();
            }
            else
            {
                await invoker.AsyncUnaryCall(method, null, options, []);
            }

            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
