using System.CommandLine;
using Grpc.Core;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>_interaction …</c>: follow, cancel and transfer one _interaction (RoutingService).</summary>
internal sealed class InteractionCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Argument<string> _interaction = new("interaction");
    private readonly Option<string> _cancelReason = new("--reason") { Description = "why, e.g. \"caller hung up\"", HelpName = "text" };
    private readonly Option<string> _queue = new("--queue") { Description = "target queue", HelpName = "queue" };
    private readonly Option<string> _agent = new("--agent") { Description = "target agent", HelpName = "agent" };
    private readonly Option<string> _reason = new("--reason") { Description = "why", HelpName = "text" };
    private readonly Option<IReadOnlyList<KeyValuePair<string, string>>> _context = new("--context")
    {
        Description = "context entry to add or replace (repeatable)",
        HelpName = "key=value",
        CustomParser = ArgumentParsers.Pairs('='),
    };

    private readonly Option<string> _byAgent = new("--by-agent") { Description = "the transferring agent, when a desktop asks", HelpName = "agent" };
    private readonly Option<bool> _warm = new("--warm") { Description = "consult: the current agent stays connected until the target accepts" };

    public IEnumerable<Command> Commands()
    {
        yield return new Command("get", "show an interaction and its history, in order") { _interaction }.RunsOnEngine(global, GetAsync);
        yield return new Command("watch", "follow an interaction's state changes until it ends (or Ctrl+C)") { _interaction }.RunsOnEngine(global, WatchAsync);
        yield return new Command("cancel", "cancel a queued or offered interaction (the customer left)") { _interaction, _cancelReason }
            .RunsOnEngine(global, CancelAsync);
        var transfer = new Command("transfer", "transfer to a queue or straight to an agent; context is kept")
        {
            _interaction, _queue, _agent, _reason, _context, _byAgent, _warm,
        };
        transfer.Validators.Add(result =>
        {
            if ((result.GetValue(_queue) is null) == (result.GetValue(_agent) is null))
            {
                result.AddError("give exactly one of --queue and --agent");
            }
        });
        yield return transfer.RunsOnEngine(global, TransferAsync);
    }

    private async Task<int> GetAsync(CommandContext context)
    {
        var client = new RoutingService.RoutingServiceClient(context.Invoker);
        var found = await client.GetInteractionAsync(
            new GetInteractionRequest { InteractionId = context.Argument(_interaction) }, context.Unary);
        context.Output.Item(found, i => string.Join(
            Environment.NewLine,
            i.History.OrderBy(e => e.Sequence).Select(e => "  " + TextFormat.EventLine(e)).Prepend(TextFormat.InteractionLine(i))));
        return 0;
    }

    private async Task<int> WatchAsync(CommandContext context)
    {
        var client = new RoutingService.RoutingServiceClient(context.Invoker);
        using var call = client.WatchInteraction(
            new WatchInteractionRequest { InteractionId = context.Argument(_interaction) }, context.Streaming);
        await foreach (var update in call.ResponseStream.ReadAllAsync(context.Cancellation))
        {
            context.Output.Item(update, TextFormat.UpdateLine);
        }

        return 0;
    }

    private async Task<int> CancelAsync(CommandContext context)
    {
        var client = new RoutingService.RoutingServiceClient(context.Invoker);
        var request = new CancelInteractionRequest
        {
            InteractionId = context.Argument(_interaction),
            Reason = context.Value(_cancelReason) ?? string.Empty,
        };
        var cancelled = await client.CancelInteractionAsync(request, context.Unary);
        context.Output.Item(cancelled, TextFormat.InteractionLine);
        return 0;
    }

    private async Task<int> TransferAsync(CommandContext run)
    {
        // The validator has checked that exactly one of --_queue and --_agent is given.
        var request = new TransferInteractionRequest
        {
            InteractionId = run.Argument(_interaction),
            Reason = run.Value(_reason) ?? string.Empty,
            RequestedByAgentId = run.Value(_byAgent) ?? string.Empty,
            Warm = run.Flag(_warm),
        };
        if (run.Value(_queue) is { } targetQueue)
        {
            request.QueueId = targetQueue;
        }
        else
        {
            request.AgentId = run.Required(_agent);
        }

        foreach (var (key, value) in run.Value(_context) ?? [])
        {
            request.Context[key] = value;
        }

        var client = new RoutingService.RoutingServiceClient(run.Invoker);
        var transferred = await client.TransferInteractionAsync(request, run.Unary);
        run.Output.Item(transferred, TextFormat.InteractionLine);
        return 0;
    }
}
