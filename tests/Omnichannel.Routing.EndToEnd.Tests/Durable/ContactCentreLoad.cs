using System.Collections.Concurrent;
using Grpc.Core;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Durable;

/// <summary>
/// A steady load as real clients make it: a front-end routing chats at a fixed rate with a request_id each, and
/// agent desktops that accept every offer and complete it at once. It records every answer, so a test can check
/// afterwards that what was acknowledged exists and what failed failed cleanly.
/// </summary>
public sealed class ContactCentreLoad : IAsyncDisposable
{
    private readonly EngineClient _client;
    private readonly string _queueId;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _stopRouting = new();
    private readonly List<Task> _loops = [];
    private readonly List<Task> _routers = [];

    public ContactCentreLoad(EngineClient client, string queueId)
    {
        _client = client;
        _queueId = queueId;
    }

    /// <summary>Interactions whose RouteInteraction answered OK, with when the request was sent and when it was answered.</summary>
    public ConcurrentDictionary<string, Acknowledgement> Acknowledged { get; } = new();

    /// <summary>Every failed call: when, which RPC, which status.</summary>
    public ConcurrentQueue<(DateTimeOffset At, string Rpc, StatusCode Code, string Detail)> Failures { get; } = new();

    public void RouteEvery(TimeSpan interval, string customerPrefix) => _routers.Add(Task.Run(async () =>
    {
        var n = 0;
        using var timer = new PeriodicTimer(interval);
        while (await Tick(timer))
        {
            var request = new RouteInteractionRequest
            {
                RequestId = $"{customerPrefix}-{n++}",
                CustomerId = $"{customerPrefix}-{n % 50}",
                Channel = "chat",
                QueueId = _queueId,
            };
            var sentAt = DateTimeOffset.UtcNow;
            try
            {
                var answer = await _client.Routing.RouteInteractionAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));
                Acknowledged[answer.Interaction.InteractionId] = new Acknowledgement(sentAt, DateTimeOffset.UtcNow);
            }
            catch (RpcException e)
            {
                Failures.Enqueue((DateTimeOffset.UtcNow, "RouteInteraction", e.StatusCode, e.Status.Detail));
            }
        }
    }));

    /// <summary>A desktop that signs in, then accepts and completes every offer; it reconnects when its stream breaks.</summary>
    public void Staff(string agentId) => Staff(agentId, TimeSpan.Zero);

    /// <summary>As <see cref="Staff(string)"/>, each interaction taking <paramref name="handleTime"/> between accept and completion.</summary>
    public void Staff(string agentId, TimeSpan handleTime) => _loops.Add(Task.Run(async () =>
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var status = await _client.Agents.SignInAsync(new SignInRequest { AgentId = agentId }, deadline: DateTime.UtcNow.AddSeconds(10));

                // Back after a restart: finish the work the desktop already held, as an agent would.
                foreach (var work in status.Work.Where(w => w.State is InteractionState.Connected or InteractionState.WrapUp))
                {
                    await FinishAsync(agentId, work.InteractionId, work.State == InteractionState.Connected);
                }

                using var stream = _client.Agents.WatchOffers(new WatchOffersRequest { AgentId = agentId }, cancellationToken: _stop.Token);
                await foreach (var e in stream.ResponseStream.ReadAllAsync(_stop.Token))
                {
                    if (e.EventCase != OfferEvent.EventOneofCase.Offered)
                    {
                        continue;
                    }

                    var id = e.Offered.InteractionId;
                    var accepted = e.Offered.AutoAccepted
                        || await Attempt("AcceptOffer", () => _client.Agents.AcceptOfferAsync(new AcceptOfferRequest { AgentId = agentId, InteractionId = id }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync) is not null;
                    if (accepted)
                    {
                        if (handleTime > TimeSpan.Zero)
                        {
                            await Task.Delay(handleTime, _stop.Token);
                        }

                        await FinishAsync(agentId, id, connected: true);
                    }
                }
            }
            catch (RpcException e) when (!_stop.IsCancellationRequested)
            {
                Failures.Enqueue((DateTimeOffset.UtcNow, "AgentDesk", e.StatusCode, e.Status.Detail));
                await Task.Delay(200);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (RpcException) when (_stop.IsCancellationRequested)
            {
            }
        }
    }));

    /// <summary>Stops routing; the desktops go on serving what waits.</summary>
    public async Task StopRoutingAsync()
    {
        await _stopRouting.CancelAsync();
        await Task.WhenAll(_routers);
    }

    /// <summary>Completes connected work, then ends wrap-up if the queue gives one.</summary>
    private async Task FinishAsync(string agentId, string interactionId, bool connected)
    {
        var state = InteractionState.WrapUp;
        if (connected)
        {
            Task<Interaction?> CompleteAsync() => Attempt("CompleteInteraction", () => _client.Agents.CompleteInteractionAsync(new CompleteInteractionRequest { AgentId = agentId, InteractionId = interactionId }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
            var completed = await CompleteAsync();

            // Refused while a silo fails (a stale activation may answer FAILED_PRECONDITION): a desktop re-reads the
            // interaction and, if the engine still shows it connected to this agent, completes it again.
            for (var check = 0; completed is null && check < 30 && !_stop.IsCancellationRequested; check++)
            {
                await Task.Delay(1000);
                var current = await Attempt("GetInteraction", () => _client.Routing.GetInteractionAsync(new GetInteractionRequest { InteractionId = interactionId }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
                if (current is null || current.State != InteractionState.Connected || current.AgentId != agentId)
                {
                    break;
                }

                completed = await CompleteAsync();
            }

            state = completed?.State ?? InteractionState.Unspecified;
        }

        if (state == InteractionState.WrapUp)
        {
            await Attempt("EndWrapUp", () => _client.Agents.EndWrapUpAsync(new EndWrapUpRequest { AgentId = agentId, InteractionId = interactionId }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
        }
    }

    public async Task StopAsync()
    {
        await StopRoutingAsync();
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
        _stopRouting.Dispose();
    }

    private async Task<bool> Tick(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stopRouting.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<T?> Attempt<T>(string rpc, Func<Task<T>> call)
        where T : class
    {
        // A desktop retries what the engine could not do now (UNAVAILABLE), as the status asks it to.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException e)
            {
                Failures.Enqueue((DateTimeOffset.UtcNow, rpc, e.StatusCode, e.Status.Detail));
                if (e.StatusCode is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded) || attempt >= 120 || _stop.IsCancellationRequested)
                {
                    return null;
                }

                await Task.Delay(250);
            }
        }
    }
}

/// <summary>A RouteInteraction answered OK: when the front-end sent it and when the answer came.</summary>
public sealed record Acknowledgement(DateTimeOffset SentAt, DateTimeOffset At);
