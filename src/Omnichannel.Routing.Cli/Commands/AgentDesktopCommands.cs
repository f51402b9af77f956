using Grpc.Core;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>agent …</c>: what an agent desktop does (AgentService), including a simulated desktop for demos.</summary>
internal sealed class AgentDesktopCommands : ICommandGroup
{
    public void Register(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Add(new CommandDefinition(
            "agent sign-in", ["agent"], "sign an agent in (AVAILABLE unless --away)", [new("away", null, "sign in as AWAY")], SignInAsync));
        catalog.Add(new CommandDefinition(
            "agent sign-out", ["agent"], "sign an agent out; offered work returns to its queues", [new("reason", "text", "why")], SignOutAsync));
        catalog.Add(new CommandDefinition(
            "agent presence", ["agent", "available|away|offline"], "set an agent's presence", [], SetPresenceAsync));
        catalog.Add(new CommandDefinition(
            "agent offers",
            ["agent"],
            "watch an agent's offers (Ctrl+C to stop); --auto-accept simulates a desktop that accepts, completes and ends wrap-up",
            [
                new("auto-accept", null, "accept every offer, complete it, then end its wrap-up"),
                new("complete-after", "5s", "with --auto-accept: time from accept to complete (default 5s)"),
                new("wrap-up-after", "2s", "with --auto-accept: time from complete to end of wrap-up (default 2s)"),
                new("disposition", "code", "with --auto-accept: disposition of each completion"),
            ],
            WatchOffersAsync));
        catalog.Add(new CommandDefinition(
            "agent accept", ["agent", "interaction"], "accept an offer", [], AcceptAsync));
        catalog.Add(new CommandDefinition(
            "agent reject", ["agent", "interaction"], "reject an offer; it is routed to someone else", [new("reason", "text", "why")], RejectAsync));
        catalog.Add(new CommandDefinition(
            "agent complete", ["agent", "interaction"], "complete a connected interaction; wrap-up starts", [new("disposition", "code", "outcome, e.g. resolved")], CompleteAsync));
        catalog.Add(new CommandDefinition(
            "agent end-wrap-up", ["agent", "interaction"], "end wrap-up and free the capacity", [], EndWrapUpAsync));
    }

    private static AgentService.AgentServiceClient Agents(CommandContext context) => new(context.Invoker);

    private static async Task<int> SignInAsync(CommandContext context)
    {
        var request = new SignInRequest
        {
            AgentId = context.CommandLine.Argument(0),
            Presence = context.CommandLine.Flag("away") ? Presence.Away : Presence.Available,
        };
        var status = await Agents(context).SignInAsync(request, context.Unary);
        context.Output.Item(status, TextFormat.StatusLine);
        return 0;
    }

    private static async Task<int> SignOutAsync(CommandContext context)
    {
        var request = new SignOutRequest { AgentId = context.CommandLine.Argument(0), Reason = context.CommandLine.Value("reason") ?? string.Empty };
        var status = await Agents(context).SignOutAsync(request, context.Unary);
        context.Output.Item(status, TextFormat.StatusLine);
        return 0;
    }

    private static async Task<int> SetPresenceAsync(CommandContext context)
    {
        var presence = context.CommandLine.Argument(1).ToUpperInvariant() switch
        {
            "AVAILABLE" => Presence.Available,
            "AWAY" => Presence.Away,
            "OFFLINE" => Presence.Offline,
            var other => throw new UsageException($"presence '{other.ToLowerInvariant()}' is not one of available, away, offline"),
        };
        var status = await Agents(context).SetPresenceAsync(
            new SetPresenceRequest { AgentId = context.CommandLine.Argument(0), Presence = presence }, context.Unary);
        context.Output.Item(status, TextFormat.StatusLine);
        return 0;
    }

    private static async Task<int> WatchOffersAsync(CommandContext context)
    {
        var line = context.CommandLine;
        var agentId = line.Argument(0);
        var simulate = line.Flag("auto-accept");
        if (!simulate && (line.Value("complete-after") ?? line.Value("wrap-up-after") ?? line.Value("disposition")) is not null)
        {
            throw new UsageException("--complete-after, --wrap-up-after and --disposition need --auto-accept");
        }

        var desktop = simulate
            ? new SimulatedDesktop(
                context,
                agentId,
                line.Duration("complete-after") ?? TimeSpan.FromSeconds(5),
                line.Duration("wrap-up-after") ?? TimeSpan.FromSeconds(2),
                line.Value("disposition") ?? string.Empty)
            : null;
        using var call = Agents(context).WatchOffers(new WatchOffersRequest { AgentId = agentId }, context.Streaming);
        await foreach (var offerEvent in call.ResponseStream.ReadAllAsync(context.Cancellation))
        {
            context.Output.Item(offerEvent, TextFormat.OfferEventLine);
            if (desktop is not null && offerEvent.EventCase == OfferEvent.EventOneofCase.Offered)
            {
                desktop.Take(offerEvent.Offered);
            }
        }

        context.Output.Note("offer stream ended by the engine");
        if (desktop is not null)
        {
            await desktop.FinishAsync();
        }

        return 0;
    }

    private static async Task<int> AcceptAsync(CommandContext context)
    {
        var request = new AcceptOfferRequest { AgentId = context.CommandLine.Argument(0), InteractionId = context.CommandLine.Argument(1) };
        var interaction = await Agents(context).AcceptOfferAsync(request, context.Unary);
        context.Output.Item(interaction, TextFormat.InteractionLine);
        return 0;
    }

    private static async Task<int> RejectAsync(CommandContext context)
    {
        var request = new RejectOfferRequest
        {
            AgentId = context.CommandLine.Argument(0),
            InteractionId = context.CommandLine.Argument(1),
            Reason = context.CommandLine.Value("reason") ?? string.Empty,
        };
        var interaction = await Agents(context).RejectOfferAsync(request, context.Unary);
        context.Output.Item(interaction, TextFormat.InteractionLine);
        return 0;
    }

    private static async Task<int> CompleteAsync(CommandContext context)
    {
        var request = new CompleteInteractionRequest
        {
            AgentId = context.CommandLine.Argument(0),
            InteractionId = context.CommandLine.Argument(1),
            Disposition = context.CommandLine.Value("disposition") ?? string.Empty,
        };
        var interaction = await Agents(context).CompleteInteractionAsync(request, context.Unary);
        context.Output.Item(interaction, TextFormat.InteractionLine);
        return 0;
    }

    private static async Task<int> EndWrapUpAsync(CommandContext context)
    {
        var request = new EndWrapUpRequest { AgentId = context.CommandLine.Argument(0), InteractionId = context.CommandLine.Argument(1) };
        var interaction = await Agents(context).EndWrapUpAsync(request, context.Unary);
        context.Output.Item(interaction, TextFormat.InteractionLine);
        return 0;
    }
}
