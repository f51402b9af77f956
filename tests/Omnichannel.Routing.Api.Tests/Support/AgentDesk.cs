using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests.Support;

/// <summary>An agent's desktop: its offer stream open (the agent's status first), the agent signed in.</summary>
public sealed class AgentDesk : IAsyncDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private Task _watch = Task.CompletedTask;

    private AgentDesk(string agentId)
    {
        AgentId = agentId;
    }

    public string AgentId { get; }

    /// <summary>The stream's first message.</summary>
    public OfferEvent First { get; private set; } = null!;

    public TestServerStreamWriter<OfferEvent> Events { get; } = new();

    public static async Task<AgentDesk> OpenAsync(ApiScenario scenario, string agentId)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var desk = new AgentDesk(agentId);
        desk._watch = scenario.Host.WatchAsync(scenario.Agents.WatchOffers, new WatchOffersRequest { AgentId = agentId }, desk.Events, desk._closed.Token);
        desk.First = await desk.Events.NextAsync();
        await scenario.Host.CallAsync(scenario.Agents.SignIn, new SignInRequest { AgentId = agentId });
        return desk;
    }

    public async Task<Offer> NextOfferAsync(string interactionId) =>
        (await Events.NextMatchingAsync(e => e.Offered?.InteractionId == interactionId)).Offered;

    /// <summary>Closes the stream and waits for the service to finish with it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        await _watch;
        _closed.Dispose();
    }
}
