using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Omnichannel.Routing.EndToEnd.Tests.HttpJson;

/// <summary>A plain HTTP/1.1 client of the host's web port, as a chat widget or CRM would call it: JSON in, JSON out.</summary>
public sealed class HttpJsonClient : IDisposable
{
    private readonly HttpClient _http;

    public HttpJsonClient(Uri webAddress, HttpMessageHandler? handler = null, string? token = null)
    {
        _http = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = webAddress, Timeout = EngineClient.Wait };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Task<HttpJsonAnswer> GetAsync(string path) => SendAsync(HttpMethod.Get, path, body: null);

    public Task<HttpJsonAnswer> PostAsync(string path, string body) => SendAsync(HttpMethod.Post, path, body);

    /// <summary>Opens a transcoded server-streaming call and answers its response, for the caller to read line by line.</summary>
    public async Task<Stream> OpenStreamAsync(string path, CancellationToken cancellation)
    {
        var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellation);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStreamAsync(cancellation);
    }

    public async Task<HttpJsonAnswer> SendAsync(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new HttpJsonAnswer(response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>An HTTP status and its JSON body (a message, or a google.rpc.Status on an error).</summary>
public sealed record HttpJsonAnswer(HttpStatusCode Status, JsonElement Body, string Raw)
{
    public string Text(params string[] path) => Walk(path).GetString()!;

    public int Number(params string[] path) => Walk(path).GetInt32();

    private JsonElement Walk(string[] path) => path.Aggregate(Body, (element, name) => element.GetProperty(name));
}
