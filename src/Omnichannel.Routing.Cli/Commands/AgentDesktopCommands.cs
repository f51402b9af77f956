using System.CommandLine;
using System.CommandLine.Parsing;
using Grpc.Core;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>agent …</c>: what an agent desktop does (AgentService), including a simulated desktop for demos.</summary>
internal sealed class AgentDesktopCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Argument<string> agent = new("agent");
    private readonly Argument<string> interaction = new("interaction");
    private readonly Argument<Presence> presence = new("available|away|offline") { CustomParser = ParsePresence };
    private readonly Option<bool> away = new("--away") { Description = "sign in as AWAY" };
    private readonly Option<string> signOutReason = new("--reason") { Description = "why", HelpName = "text" };
    private readonly Option<string> rejectReason = new("--reason") { Description = "why", HelpName = "text" };
    private readonly Option<string> disposition = new("--disposition") { Description = "outcome, e.g. resolved", HelpName = "code" };
    private readonly Option<bool> autoAccept = new("--auto-accept") { Description = "accept every offer, complete it, then end its wrap-up" };
    private readonly Option<TimeSpan?> completeAfter = new("--complete-after")
    {
        Description = "with --auto-accept: time from accept to complete (default 5s)",
        HelpName = "5s",
        CustomParser = result => DurationText.Parse(result),
    };

    private readonly Option<TimeSpan?> wrapUpAfter = new("--wrap-up-after")
    {
        Description = "with --auto-accept: time from complete to end of wrap-up (default 2s)",
        HelpName = "2s",
        CustomParser = result => DurationText.Parse(result),
    };

    private readonly Option<string> autoDisposition = new("--disposition") { Description = "with --auto-accept: disposition of each completion", HelpName = "code" };

    public IEnumerable<Command> Commands()
    {
        yield return new Command("sign-in", "sign an agent in (AVAILABLE unless --away)") { agent, away }.RunsOnEngine(global, SignInAsync);
        yield return new Command("sign-out", "sign an agent out; offered work returns to its queues") { agent, signOutReason }
            .RunsOnEngine(global, SignOutAsync);
        yield return new Command("presence", "set an agent's presence") { agent, presence }.RunsOnEngine(global, SetPresenceAsync);
        var offers = new Command(
            "offers",
            "watch an agent's offers (Ctrl+C to stop); --auto-accept simulates a desktop that accepts, completes and ends wrap-up")
        {
            agent, autoAccept, completeAfter, wrapUpAfter, autoDisposition,
        };
        offers.Validators.Add(result =>
        {
            Option[] simulation = [completeAfter, wrapUpAfter, autoDisposition];
            if (!result.GetValue(autoAccept) && simulation.Any(option => result.GetResult(option) is not null))
            {
                result.AddError("--complete-after, --wrap-up-after and --disposition need --auto-accept");
            }
        });
        yield return offers.RunsOnEngine(global, WatchOffersAsync);
        yield return new Command("accept", "accept an offer") { agent, interaction }.RunsOnEngine(global, AcceptAsync);
        yield return new Command("reject", "reject an offer; it is routed to someone else") { agent, interaction, rejectReason }
            .RunsOnEngine(global, RejectAsync);
        yield return new Command("complete", "complete a connected interaction; wrap-up starts") { agent, interaction, disposition }
            .RunsOnEngine(global, CompleteAsync);
        yield return new Command("end-wrap-up", "end wrap-up and free the capacity") { agent, interaction }.RunsOnEngine(global, EndWrapUpAsync);
    }

    private static Presence ParsePresence(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        switch (text.ToUpperInvariant())
        {
            case "AVAILABLE":
                return Presence.Available;
            case "AWAY":
                return Presence.Away;
            case "OFFLINE":
                return Presence.Offline;
            default:
                result.AddError($"presence '{text}' is not one of available, away, offline");
                return Presence.Unspecified;
        }
    }

    private static AgentService.AgentServiceClient Agents(CommandContext context) => new(context.Invoker);

    private async Task<int> SignInAsync(CommandContext context)
    {
        var request = new SignInRequest
        {
            AgentId = context.Argument(agent),
            Presence = context.Flag(away) ? Presence.Away : Presence.Available,
        };
        var status = await Agents(context).SignInAsync(request, context.Unary);
        context.Output.Item(status, TextFormat.StatusLine);
        return 0;
    }

    private async Task<int> SignOutAsync(CommandContext context)
    {
        var request = new SignOutRequest { AgentId = context.Argument(agent), Reason = context.Value(signOutReason) ?? string.Empty };
        var status = await Agents(context).SignOutAsync(request, context.Unary);
        context.Output.Item(status, TextFormat.StatusLine);
        return 0;
    }

    private async Task<int> SetPresenceAsync(CommandContext context)
    {
        var status = await Agents(context).SetPresenceAsync(
            new SetPresenceRequest { AgentId = context.Argument(agent), Presence = context.Argument(presence) }, context.Unary);
        context.Output.Item(status, TextFormat.StatusLine);
        return 0;
    }

    private async Task<int> WatchOffersAsync(CommandContext context)
    {
        var agentId = context.Argument(agent);
        var desktop = context.Flag(autoAccept)
            ? new SimulatedDesktop(
                context,
                agentId,
                context.Value(completeAfter) ?? TimeSpan.FromSeconds(5),
                context.Value(wrapUpAfter) ?? TimeSpan.FromSeconds(2),
                context.Value(autoDisposition) ?? string.Empty)
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

    private async Task<int> AcceptAsync(CommandContext context)
    {
        var request = new AcceptOfferRequest { AgentId = context.Argument(agent), InteractionId = context.Argument(interaction) };
        var accepted = await Agents(context).AcceptOfferAsync(request, context.Unary);
        context.Output.Item(accepted, TextFormat.InteractionLine);
        return 0;
    }

    private async Task<int> RejectAsync(CommandContext context)
    {
        var request = new RejectOfferRequest
        {
            AgentId = context.Argument(agent),
            InteractionId = context.Argument(interaction),
            Reason = context.Value(rejectReason) ?? string.Empty,
        };
        var rejected = await Agents(context).RejectOfferAsync(request, context.Unary);
        context.Output.Item(rejected, TextFormat.InteractionLine);
        return 0;
    }

    private async Task<int> CompleteAsync(CommandContext context)
    {
        var request = new CompleteInteractionRequest
        {
            AgentId = context.Argument(agent),
            InteractionId = context.Argument(interaction),
            Disposition = context.Value(disposition) ?? string.Empty,
        };
        var completed = await Agents(context).CompleteInteractionAsync(request, context.Unary);
        context.Output.Item(completed, TextFormat.InteractionLine);
        return 0;
    }

    private async Task<int> EndWrapUpAsync(CommandContext context)
    {
        var request = new EndWrapUpRequest { AgentId = context.Argument(agent), InteractionId = context.Argument(interaction) };
        var ended = await Agents(context).EndWrapUpAsync(request, context.Unary);
        context.Output.Item(ended, TextFormat.InteractionLine);
        return 0;
    }
}
