using System.Diagnostics;
using Grpc.Core;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.LoadTests;

/// <summary>How long simulated people take: think time before accepting, handle time per channel, wrap-up.</summary>
internal sealed class DeskTiming
{
    private static readonly Dictionary<string, TimeSpan> MeanHandle = new(StringComparer.Ordinal)
    {
        ["voice"] = TimeSpan.FromSeconds(1.2),
        ["chat"] = TimeSpan.FromSeconds(2.0),
        ["email"] = TimeSpan.FromSeconds(0.8),
    };

    private readonly double _handleScale;

    public DeskTiming(double handleScale, TimeSpan think, TimeSpan wrap)
    {
        _handleScale = handleScale;
        Think = think;
        Wrap = wrap;
    }

    public TimeSpan Think { get; }

    public TimeSpan Wrap { get; }

    public TimeSpan MeanHandleOf(string channel) => MeanHandle.GetValueOrDefault(channel, TimeSpan.FromSeconds(1)) * _handleScale;

    /// <summary>Uniform between 0 and twice the mean.</summary>
    public TimeSpan ThinkTime() => Think * 2 * Random.Shared.NextDouble();

    /// <summary>Exponential around the channel's mean (most contacts short, a few long), cut at 0.1x and 5x the mean.</summary>
    public TimeSpan HandleTime(string channel)
    {
        var mean = MeanHandleOf(channel);
        var draw = -Math.Log(1 - Random.Shared.NextDouble());
        return mean * Math.Clamp(draw, 0.1, 5);
    }
}

/// <summary>
/// One simulated agent desktop: holds a WatchOffers stream, and for each offer waits a think time, accepts, handles
/// it for a time drawn for its channel, completes it and ends wrap-up. Several offers run at once when the agent's
/// profile allows. Every status the engine pushes on the stream is checked against the agent's capacity profile.
/// </summary>
internal sealed class AgentDesk
{
    /// <summary>Steps a desk takes on one offer before it gives it up (a lifecycle takes three when nothing fails).</summary>
    private const int MaxSteps = 50;

    /// <summary>How long a desk keeps reading back an interaction whose step failed before it gives the work up.</summary>
    private static readonly TimeSpan ReadBackPatience = TimeSpan.FromSeconds(90);

    private readonly EngineClients _clients;
    private readonly Func<int, AgentService.AgentServiceClient> _streamFor;
    private readonly RunState _run;
    private readonly TaskCompletionSource _live = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CapacityProfile _profile;
    private int _streamOpens;
    private int _recovering;

    // streamFor: the client for the stream's nth opening (a reopened stream may go to another silo).
    public AgentDesk(string agentId, CapacityProfile profile, EngineClients clients, Func<int, AgentService.AgentServiceClient> streamFor, RunState run)
    {
        AgentId = agentId;
        _profile = profile;
        _clients = clients;
        _streamFor = streamFor;
        _run = run;
    }

    public string AgentId { get; }

    /// <summary>Completes when the stream's first message (the agent's status) has arrived.</summary>
    public Task Live => _live.Task;

    /// <summary>Keeps the stream open until <paramref name="stop"/>; reopens it if the engine drops it.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var opening = Interlocked.Increment(ref _streamOpens) - 1;
                if (opening > 0)
                {
                    _run.Metrics.Count("offer streams reopened");
                }

                using var call = _streamFor(opening).WatchOffers(new WatchOffersRequest { AgentId = AgentId }, cancellationToken: stop);
                await foreach (var e in call.ResponseStream.ReadAllAsync(stop).ConfigureAwait(false))
                {
                    switch (e.EventCase)
                    {
                        case OfferEvent.EventOneofCase.Status:
                            CheckStatus(e.Status, "offer stream");
                            _live.TrySetResult();
                            if (e.Status.Activity == AgentActivity.NotResponding)
                            {
                                _ = BecomeAvailableAsync();
                            }

                            break;
                        case OfferEvent.EventOneofCase.Offered:
                            _ = HandleAsync(e.Offered, stop);
                            break;
                        case OfferEvent.EventOneofCase.Withdrawn:
                            _run.Metrics.Count($"withdrawn:{e.Withdrawn.Reason}");
                            _run.Ledger[e.Withdrawn.InteractionId].Release(AgentId);
                            break;
                    }
                }

                // The server ended the stream without an error: it should not, while the desk is open.
                if (!stop.IsCancellationRequested)
                {
                    _run.Metrics.RpcFailed("WatchOffers", StatusCode.OK);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e) when (stop.IsCancellationRequested || e.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e)
            {
                _run.Metrics.RpcFailed("WatchOffers", e.StatusCode);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Contract §4: an agent's load never exceeds its capacity profile, on any channel, at any instant.</summary>
    public void CheckStatus(AgentStatus status, string where)
    {
        ArgumentNullException.ThrowIfNull(status);
        _run.Metrics.Count("statuses checked");
        foreach (var problem in CapacityCheck.Problems(status, _profile))
        {
            _run.Ledger.Problem($"{AgentId} ({where}): {problem}");
        }
    }

    /// <summary>
    /// An offer timed out (the engine was too slow to take the accept in time, or the desk too slow to send it), so
    /// the engine marked the agent not-responding; a person at the desk would set themselves available again.
    /// </summary>
    private async Task BecomeAvailableAsync()
    {
        if (Interlocked.Exchange(ref _recovering, 1) == 1)
        {
            return;
        }

        try
        {
            _run.Metrics.Count("agents set AVAILABLE again after not responding");
            await EngineClients.CallAsync(_run.Metrics, "SetPresence", () =>
                _clients.Agents.SetPresenceAsync(new SetPresenceRequest { AgentId = AgentId, Presence = Presence.Available }, deadline: Deadline()).ResponseAsync).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _recovering, 0);
        }
    }

    private async Task HandleAsync(Offer offer, CancellationToken stop)
    {
        var received = Stopwatch.GetTimestamp();
        var id = offer.InteractionId;
        var tracked = _run.Ledger[id];
        Interlocked.Increment(ref tracked.Offers);
        var channel = offer.Interaction?.Channel ?? tracked.Channel ?? "chat";
        _run.Metrics.Offered();
        if (offer.Interaction is { QueueId: { Length: > 0 } queueId })
        {
            _run.QueueGaps.Offered(queueId);
        }
        if (ArrivalContext.TryRead(offer.Interaction, out var sent))
        {
            _run.Metrics.RouteToOffer.Record(Stopwatch.GetElapsedTime(sent, received));
        }

        if (tracked.TryHold(AgentId) is { } other)
        {
            _run.Ledger.Problem($"{id}: offered to {AgentId} while {other} still held it (client view)");
        }

        try
        {
            // The desk's side of the lifecycle as a small state machine: each step moves it on; a step whose answer
            // was lost (deadline, connection) reads the interaction back and carries on from where the engine has it,
            // as a desktop that retries would.
            var state = offer.AutoAccepted ? InteractionState.Connected : InteractionState.Offered;
            bool thought = false, handled = false, wrapped = false;
            for (var step = 0; step < MaxSteps && !stop.IsCancellationRequested; step++)
            {
                switch (state)
                {
                    case InteractionState.Offered:
                        if (!thought)
                        {
                            thought = true;
                            await Task.Delay(_run.Timing.ThinkTime(), stop).ConfigureAwait(false);
                        }

                        state = await StepAsync("AcceptOffer", tracked, () => _clients.Agents.AcceptOfferAsync(new AcceptOfferRequest { AgentId = AgentId, InteractionId = id }, deadline: Deadline()).ResponseAsync).ConfigureAwait(false);
                        break;
                    case InteractionState.Connected:
                        if (!handled)
                        {
                            handled = true;
                            await Task.Delay(_run.Timing.HandleTime(channel), stop).ConfigureAwait(false);
                        }

                        state = await StepAsync("CompleteInteraction", tracked, () => _clients.Agents.CompleteInteractionAsync(new CompleteInteractionRequest { AgentId = AgentId, InteractionId = id, Disposition = "resolved" }, deadline: Deadline()).ResponseAsync).ConfigureAwait(false);
                        break;
                    case InteractionState.WrapUp:
                        if (!wrapped)
                        {
                            wrapped = true;
                            await Task.Delay(_run.Timing.Wrap, stop).ConfigureAwait(false);
                        }

                        // Released first: once the engine ends wrap-up it may offer this desk new work at once, and
                        // that offer can arrive before this answer does.
                        tracked.Release(AgentId);
                        state = await StepAsync("EndWrapUp", tracked, () => _clients.Agents.EndWrapUpAsync(new EndWrapUpRequest { AgentId = AgentId, InteractionId = id }, deadline: Deadline()).ResponseAsync).ConfigureAwait(false);
                        break;
                    case InteractionState.Completed:
                        tracked.Release(AgentId);
                        tracked.CompletedBy = AgentId;
                        _run.Metrics.LifecycleDone();
                        if (ArrivalContext.TryRead(offer.Interaction, out var start))
                        {
                            _run.Metrics.Lifecycle.RecordTicks(Stopwatch.GetTimestamp() - start);
                        }

                        return;
                    default:
                        // Not this desk's any more (the offer timed out and went elsewhere, or it was withdrawn).
                        tracked.Release(AgentId);
                        return;
                }
            }

            tracked.Note(stop.IsCancellationRequested
                ? $"{_run.Clock.Elapsed.TotalSeconds:0.0} s {AgentId} stopped with it {state}: the run ended"
                : $"{_run.Clock.Elapsed.TotalSeconds:0.0} s {AgentId} gave it up {state} after {MaxSteps} steps");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over; the audit reports what was left unfinished.
        }
    }

    /// <summary>
    /// One step of the lifecycle: the state the engine answered, or after a failure the state it has the interaction
    /// in now, as far as this desk is concerned (<see cref="InteractionState.Unspecified"/> when another agent has it).
    /// </summary>
    private async Task<InteractionState> StepAsync(string rpc, TrackedInteraction tracked, Func<Task<Interaction>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var answer = await call().ConfigureAwait(false);
            _run.Metrics.RpcOk(rpc, Stopwatch.GetElapsedTime(started));
            return answer.AgentId == AgentId ? answer.State : InteractionState.Unspecified;
        }
        catch (RpcException e)
        {
            _run.Metrics.RpcFailed(rpc, e.StatusCode);
            tracked.Note($"{_run.Clock.Elapsed.TotalSeconds:0.0} s {AgentId} {rpc}: {e.StatusCode} {e.Status.Detail}");
        }

        // The answer was lost or the step refused: after a moment (a silo may be going away, another taking its grains
        // over), read where the engine has it now, for as long as a person at a desktop would keep trying.
        var reading = Stopwatch.StartNew();
        while (reading.Elapsed < ReadBackPatience)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
            var interaction = await EngineClients.CallAsync(_run.Metrics, "GetInteraction", () =>
                _clients.Routing.GetInteractionAsync(new GetInteractionRequest { InteractionId = tracked.Id }, deadline: Deadline()).ResponseAsync).ConfigureAwait(false);
            if (interaction is not null)
            {
                _run.Metrics.Count($"{rpc} failed: desk read the interaction back");
                tracked.Note($"{_run.Clock.Elapsed.TotalSeconds:0.0} s read back: {interaction.State} with '{interaction.AgentId}'");
                return interaction.AgentId == AgentId ? interaction.State : InteractionState.Unspecified;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(750)).ConfigureAwait(false);
        }

        tracked.Note($"{_run.Clock.Elapsed.TotalSeconds:0.0} s {AgentId} could not read it back for {ReadBackPatience.TotalSeconds:0} s; the desk gave up");
        return InteractionState.Unspecified;
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);
}

/// <summary>The capacity invariant, checked on an agent status as the engine reports it.</summary>
internal static class CapacityCheck
{
    public static IEnumerable<string> Problems(AgentStatus status, CapacityProfile profile)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(profile);
        var limits = profile.Channels.ToDictionary(c => c.Channel, StringComparer.Ordinal);
        var units = 0;
        var active = 0;
        var exclusiveActive = false;
        foreach (var load in status.Loads)
        {
            if (load.Active <= 0)
            {
                continue;
            }

            active++;
            if (!limits.TryGetValue(load.Channel, out var limit))
            {
                yield return $"holds {load.Active} on {load.Channel}, which its profile does not allow";
                continue;
            }

            if (load.Active > limit.MaxConcurrent || load.Active > load.MaxConcurrent)
            {
                yield return $"holds {load.Active} on {load.Channel}, more than its maximum {limit.MaxConcurrent}";
            }

            units += load.Active * limit.UnitCost;
            exclusiveActive |= limit.Exclusive;
        }

        if (units > profile.TotalUnits || status.UnitsUsed > status.UnitsTotal)
        {
            yield return $"uses {Math.Max(units, status.UnitsUsed)} units of {profile.TotalUnits}";
        }

        if (exclusiveActive && active > 1)
        {
            yield return $"holds an exclusive channel together with other channels ({string.Join(", ", status.Loads.Select(l => $"{l.Channel}={l.Active}"))})";
        }
    }
}
