using Grpc.Core;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>interaction …</c>: follow, cancel and transfer one interaction (RoutingService).</summary>
internal sealed class InteractionCommands : ICommandGroup
{
    public void Register(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Add(new CommandDefinition(
            "interaction get", ["interaction"], "show an interaction and its history, in order", [], GetAsync));
        catalog.Add(new CommandDefinition(
            "interaction watch", ["interaction"], "follow an interaction's state changes until it ends (or Ctrl+C)", [], WatchAsync));
        catalog.Add(new CommandDefinition(
            "interaction cancel",
            ["interaction"],
            "cancel a queued or offered interaction (the customer left)",
            [new("reason", "text", "why, e.g. \"caller hung up\"")],
            CancelAsync));
        catalog.Add(new CommandDefinition(
            "interaction transfer",
            ["interaction"],
            "transfer to a queue or straight to an agent; context is kept",
            [
                new("queue", "queue", "target queue"),
                new("agent", "agent", "target agent"),
                new("reason", "text", "why"),
                new("context", "key=value", "context entry to add or replace", Repeatable: true),
                new("by-agent", "agent", "the transferring agent, when a desktop asks"),
                new("warm", null, "consult: the current agent stays connected until the target accepts"),
            ],
            TransferAsync));
    }

    private static async Task<int> GetAsync(CommandContext context)
    {
        var client = new RoutingService.RoutingServiceClient(context.Invoker);
        var interaction = await client.GetInteractionAsync(
            new GetInteractionRequest { InteractionId = context.CommandLine.Argument(0) }, context.Unary);
        context.Output.Item(interaction, i => string.Join(
            Environment.NewLine,
            i.History.OrderBy(e => e.Sequence).Select(e => "  " + TextFormat.EventLine(e)).Prepend(TextFormat.InteractionLine(i))));
        return 0;
    }

    private static async Task<int> WatchAsync(CommandContext context)
    {
        var client = new RoutingService.RoutingServiceClient(context.Invoker);
        using var call = client.WatchInteraction(
            new WatchInteractionRequest { InteractionId = context.CommandLine.Argument(0) }, context.Streaming);
        await foreach (var update in call.ResponseStream.ReadAllAsync(context.Cancellation))
        {
            context.Output.Item(update, TextFormat.UpdateLine);
        }

        return 0;
    }

    private static async Task<int> CancelAsync(CommandContext context)
    {
        var client = new RoutingService.RoutingServiceClient(context.Invoker);
        var request = new CancelInteractionRequest
        {
            InteractionId = context.CommandLine.Argument(0),
            Reason = context.CommandLine.Value("reason") ?? string.Empty,
        };
        var interaction = await client.CancelInteractionAsync(request, context.Unary);
        context.Output.Item(interaction, TextFormat.InteractionLine);
        return 0;
    }

    private static async Task<int> TransferAsync(CommandContext context)
    {
        var line = context.CommandLine;
        var request = new TransferInteractionRequest
        {
            InteractionId = line.Argument(0),
            Reason = line.Value("reason") ?? string.Empty,
            RequestedByAgentId = line.Value("by-agent") ?? string.Empty,
            Warm = line.Flag("warm"),
        };
        switch (line.Value("queue"), line.Value("agent"))
        {
            case ({ } queue, null):
                request.QueueId = queue;
                break;
            case (null, { } agent):
                request.AgentId = agent;
                break;
            default:
                throw new UsageException("give exactly one of --queue and --agent");
        }

        foreach (var (key, value) in line.Pairs("context", '='))
        {
            request.Context[key] = value;
        }

        var client = new RoutingService.RoutingServiceClient(context.Invoker);
        var interaction = await client.TransferInteractionAsync(request, context.Unary);
        context.Output.Item(interaction, TextFormat.InteractionLine);
        return 0;
    }
}
