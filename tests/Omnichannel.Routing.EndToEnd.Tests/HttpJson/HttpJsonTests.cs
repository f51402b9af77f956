using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf.WellKnownTypes;
using Google.Protobuf.Reflection;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.HttpJson;

/// <summary>
/// Every RPC is also HTTP/JSON on the web port (google.api.http annotations, JSON transcoding): the same validation,
/// the same status codes mapped to HTTP, the same idempotency by request_id, and an OpenAPI document of it all.
/// </summary>
public sealed class HttpJsonTests(HostFixture fixture) : IClassFixture<HostFixture>, IDisposable
{
    private static readonly ServiceDescriptor[] Services =
    [
        RoutingService.Descriptor, AgentService.Descriptor, AdminService.Descriptor, SupervisorService.Descriptor,
        WorkforceService.Descriptor, CustomerService.Descriptor, ReportingService.Descriptor, WallboardService.Descriptor,
    ];

    private readonly EngineClient _c = new(fixture.Host.Channel);
    // An administrator passes every policy: these tests are about the HTTP mapping; HttpJsonSecurityTests about who may call.
    private readonly HttpJsonClient _http = new(fixture.Host.WebAddress, token: fixture.Host.Tokens?.For("http-admin", "admin"));

    [Fact]
    public async Task Route_get_accept_complete_and_queue_stats_work_over_plain_HTTP_with_JSON_bodies()
    {
        var queue = await _c.QueueAsync("http-lifecycle", q => q.WrapUp = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)));
        var agent = await _c.AgentAsync("http-agent", [queue]);
        await using var desk = await _c.SignInAsync(agent);

        var routed = await _http.PostAsync("/v1/interactions:route", $$"""{"customerId":"{{_c.Id("http-customer")}}","channel":"chat","queueId":"{{queue}}","context":{"order":"A-1"} }""");
        Assert.Equal(HttpStatusCode.OK, routed.Status);
        var id = routed.Text("interaction", "interactionId");
        await desk.NextOfferAsync(id);

        var got = await _http.GetAsync($"/v1/interactions/{id}");
        Assert.Equal(HttpStatusCode.OK, got.Status);
        Assert.Equal("INTERACTION_STATE_OFFERED", got.Text("state"));
        Assert.Equal("A-1", got.Text("context", "order"));

        var accepted = await _http.PostAsync($"/v1/agents/{agent}/interactions/{id}:accept", "{}");
        Assert.Equal("INTERACTION_STATE_CONNECTED", accepted.Text("state"));
        var completed = await _http.PostAsync($"/v1/agents/{agent}/interactions/{id}:complete", """{"disposition":"resolved"}""");
        Assert.Equal("INTERACTION_STATE_WRAP_UP", completed.Text("state"));
        Assert.Equal("resolved", completed.Text("disposition"));

        var stats = await WaitForStatsAsync(queue, s => s.TryGetProperty("answered", out var answered) && answered.GetInt32() == 1);
        Assert.Equal(queue, stats.Text("queueId"));
    }

    [Fact]
    public async Task A_field_out_of_range_is_answered_400_with_the_field_named()
    {
        var queue = await _c.QueueAsync("http-invalid");

        var answer = await _http.PostAsync("/v1/interactions:route", $$"""{"customerId":"c","channel":"chat","queueId":"{{queue}}","priority":5000}""");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(3, answer.Number("code"));
        Assert.StartsWith("priority:", answer.Text("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_required_field_is_answered_400_with_the_field_named()
    {
        var answer = await _http.PostAsync("/v1/interactions:route", """{"channel":"chat","queueId":"anywhere"}""");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith("customer_id:", answer.Text("message"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"customerId":""", "request body: not valid JSON at line 1")]
    [InlineData("""{"customerId":"c","priority":"high"}""", "priority: expects a number, was a string")]
    [InlineData("""{"customerId":"c","requiredSkills":[{"skill":"english","minimumLevel":true}]}""", "required_skills[0].minimum_level: expects a number")]
    [InlineData("""["not", "an", "object"]""", "request body: expects a JSON object")]
    public async Task Malformed_JSON_is_answered_400_naming_where(string body, string named)
    {
        var answer = await _http.PostAsync("/v1/interactions:route", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(3, answer.Number("code"));
        Assert.StartsWith(named, answer.Text("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_interaction_is_answered_404_naming_it()
    {
        var answer = await _http.GetAsync("/v1/interactions/no-such-interaction");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal(5, answer.Number("code"));
        Assert.Contains("no-such-interaction", answer.Text("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_over_HTTP_then_the_same_request_id_over_gRPC_answers_the_same_interaction()
    {
        var queue = await _c.QueueAsync("http-idempotent");
        var requestId = Guid.NewGuid().ToString();
        var customer = _c.Id("idempotent-customer");

        var overHttp = await _http.PostAsync("/v1/interactions:route", $$"""{"requestId":"{{requestId}}","customerId":"{{customer}}","channel":"chat","queueId":"{{queue}}"}""");
        var overGrpc = await _c.Routing.RouteInteractionAsync(new RouteInteractionRequest { RequestId = requestId, CustomerId = customer, Channel = "chat", QueueId = queue });

        Assert.Equal(HttpStatusCode.OK, overHttp.Status);
        Assert.Equal(overHttp.Text("interaction", "interactionId"), overGrpc.Interaction.InteractionId);
        Assert.True(overGrpc.Replayed);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_RPC_at_its_annotated_path()
    {
        var document = await _http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.Status);
        var paths = document.Body.GetProperty("paths");

        var methods = Services.SelectMany(s => s.Methods).ToList();
        Assert.NotEmpty(methods);
        foreach (var method in methods)
        {
            var rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
            Assert.True(rule is not null, $"{method.FullName} has no google.api.http annotation");
            var (verb, annotated) = VerbAndPath(rule);
            // The document names path parameters by their JSON names: {queue.queue_id} is {queue.queueId}.
            var path = Regex.Replace(annotated, "_([a-z])", m => m.Groups[1].Value.ToUpperInvariant());
            Assert.True(paths.TryGetProperty(path, out var operations) && operations.TryGetProperty(verb, out _), $"the OpenAPI document lacks {verb} {path} ({method.FullName})");
        }
    }

    [Fact]
    public async Task A_watch_RPC_over_HTTP_streams_one_JSON_message_per_line()
    {
        var queue = await _c.QueueAsync("http-watch");
        using var cancellation = new CancellationTokenSource(EngineClient.Wait);

        await using var stream = await _http.OpenStreamAsync($"/v1/queueStats:watch?queueIds={queue}", cancellation.Token);
        using var reader = new StreamReader(stream);
        var first = JsonDocument.Parse((await reader.ReadLineAsync(cancellation.Token))!).RootElement;
        Assert.Equal(queue, first.GetProperty("queueId").GetString());

        await _c.RouteAsync(queue);
        while (true)
        {
            var next = JsonDocument.Parse((await reader.ReadLineAsync(cancellation.Token))!).RootElement;
            if (next.TryGetProperty("waiting", out var waiting) && waiting.GetInt32() == 1)
            {
                break;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private static (string Verb, string Path) VerbAndPath(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => ("get", rule.Get),
        HttpRule.PatternOneofCase.Post => ("post", rule.Post),
        HttpRule.PatternOneofCase.Put => ("put", rule.Put),
        HttpRule.PatternOneofCase.Delete => ("delete", rule.Delete),
        HttpRule.PatternOneofCase.Patch => ("patch", rule.Patch),
        _ => throw new InvalidOperationException($"unexpected pattern {rule.PatternCase}"),
    };

    private async Task<HttpJsonAnswer> WaitForStatsAsync(string queue, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + EngineClient.Wait;
        while (true)
        {
            var stats = await _http.GetAsync($"/v1/queues/{queue}/stats");
            if (stats.Status == HttpStatusCode.OK && condition(stats.Body))
            {
                return stats;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the queue's statistics did not change in time; last {stats.Raw}");
            await Task.Delay(50);
        }
    }
}
