using Grpc.Core;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary>
/// A pretend agent desktop for demos: accepts each offer at once, completes it after a while, then ends its wrap-up
/// if it is still in wrap-up. Each step prints the interaction it returned; a refused step is printed and skipped.
/// </summary>
internal sealed class SimulatedDesktop(CommandContext context, string agentId, TimeSpan completeAfter, TimeSpan wrapUpAfter, string disposition)
{
    private readonly AgentService.AgentServiceClient _agents = new(context.Invoker);
    private readonly RoutingService.RoutingServiceClient _routing = new(context.Invoker);
    private readonly Dictionary<string, Task> _work = new(StringComparer.Ordinal);

    /// <summary>Starts working on <paramref name="offer"/>, unless it is already being worked on.</summary>
    public void Take(Offer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (_work.TryGetValue(offer.InteractionId, out var running) && !running.IsCompleted)
        {
            return;
        }

        _work[offer.InteractionId] = HandleAsync(offer);
    }

    /// <summary>Waits for every interaction taken so far to finish its steps.</summary>
    public Task FinishAsync() => Task.WhenAll(_work.Values);

    private async Task HandleAsync(Offer offer)
    {
        var interactionId = offer.InteractionId;
        var step = "accept";
        try
        {
            if (!offer.AutoAccepted)
            {
                var accepted = await _agents.AcceptOfferAsync(new AcceptOfferRequest { AgentId = agentId, InteractionId = interactionId }, context.Unary);
                Print("accepted", accepted);
            }

            step = "complete";
            await Task.Delay(completeAfter, context.Cancellation);
            var completed = await _agents.CompleteInteractionAsync(
                new CompleteInteractionRequest { AgentId = agentId, InteractionId = interactionId, Disposition = disposition }, context.Unary);
            Print("completed", completed);
            if (completed.State != InteractionState.WrapUp)
            {
                return;
            }

            step = "end wrap-up";
            await Task.Delay(wrapUpAfter, context.Cancellation);
            var current = await _routing.GetInteractionAsync(new GetInteractionRequest { InteractionId = interactionId }, context.Unary);
            if (current.State != InteractionState.WrapUp)
            {
                context.Output.Note($"wrap-up of {interactionId} already over ({TextFormat.Name(current.State)})");
                return;
            }

            var ended = await _agents.EndWrapUpAsync(new EndWrapUpRequest { AgentId = agentId, InteractionId = interactionId }, context.Unary);
            Print("wrap-up ended", ended);
        }
        catch (RpcException e) when (!context.Cancellation.IsCancellationRequested)
        {
            context.Output.Error($"{e.StatusCode}: {e.Status.Detail} (simulated desktop: {step} {interactionId})");
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            // Ctrl+C: stop where we are.
        }
        catch (RpcException) when (context.Cancellation.IsCancellationRequested)
        {
            // Ctrl+C while a call was in flight.
        }
    }

    private void Print(string step, Interaction interaction) =>
        context.Output.Item(interaction, i => $"{step}  {TextFormat.InteractionLine(i)}");
}
