using System.Net;

namespace Omnichannel.Routing.EndToEnd.Tests.HttpJson;

/// <summary>With authentication on, HTTP/JSON calls pass the same role policies as gRPC, answered as HTTP 401 and 403.</summary>
public sealed class HttpJsonSecurityTests(SecureHostFixture fixture) : IClassFixture<SecureHostFixture>
{
    [Fact]
    public async Task A_call_without_a_token_is_answered_401_unauthenticated()
    {
        using var http = ClientWith(token: null);

        var answer = await http.GetAsync("/v1/queueStats");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal(16, answer.Number("code"));
    }

    [Fact]
    public async Task A_token_without_the_role_is_answered_403_permission_denied()
    {
        using var http = ClientWith(fixture.Tokens.For("http-agent", "agent"));

        var answer = await http.GetAsync("/v1/queueStats");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal(7, answer.Number("code"));
    }

    [Fact]
    public async Task A_supervisor_token_reads_queue_statistics_over_HTTPS()
    {
        using var http = ClientWith(fixture.Tokens.For("http-supervisor", "supervisor"));

        var answer = await http.GetAsync("/v1/queueStats");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task The_OpenAPI_document_needs_no_token()
    {
        using var http = ClientWith(token: null);

        var document = await http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, document.Status);
        Assert.Equal("3.0.4", document.Text("openapi"));
    }

    private HttpJsonClient ClientWith(string? token) => new(fixture.Host.WebAddress, fixture.Certificate.TrustingHandler(), token);
}
