using System.CommandLine;
using System.CommandLine.Parsing;
using Grpc.Core;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>_agent …</c>: what an _agent desktop does (AgentService), including a simulated desktop for demos.</summary>
internal sealed class AgentDesktopCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Argument<string> _agent = new("agent");
    private readonly Argument<string> _interaction = new("interaction");
    private readonly Argument<Presence> _presence = new("available|away|offline") { CustomParser = ParsePresence };
    private readonly Option<bool> _away = new("--away") { Description = "sign in as AWAY" };
    private readonly Option<string> _signOutReason = new("--reason") { Description = "why", HelpName = "text" };
    private readonly Option<string> _rejectReason = new("--reason") { Description = "why", HelpName = "text" };
    private readonly Option<string> _disposition = new("--disposition") { Description = "outcome, e.g. resolved", HelpName = "code" };
    private readonly Option<bool> _autoAccept = new("--auto-accept") { Description = "accept every offer, complete it, then end its wrap-up" };
    private readonly Option<TimeSpan?> _completeAfter = new("--complete-after")
    {
        Description = "with --auto-accept: time from accept to complete (default 5s)",
        HelpName = "5s",
        CustomParser = result => DurationText.Parse(result),
    };

    private readonly Option<TimeSpan?> _wrapUpAfter = new("--wrap-up-after")
    {
        Description = "with --auto-accept: time from complete to end of wrap-up (default 2s)",
        HelpName = "2s",
        CustomParser = result => DurationText.Parse(result),
    };

    private readonly Option<string> _autoDisposition = new("--disposition") { Description = "with --auto-accept: disposition of each completion", HelpName = "code" };

    public IEnumerable<Command> Commands()
    {
        yield return new Command("sign-in", "sign an agent in (AVAILABLE unless --away)") { _agent, _away }.RunsOnEngine(global, SignInAsync);
        yield return new Command("sign-out", "sign an agent out; offered work returns to its queues") { _agent, _signOutReason }
            .RunsOnEngine(global, SignOutAsync);
        yield return new Command("presence", "set an agent's presence") { _agent, _presence }.RunsOnEngine(global, SetPresenceAsync);
        var offers = new Command(
            "offers",
            "watch an agent's offers (Ctrl+C to stop); --auto-accept simulates a desktop that accepts, completes and ends wrap-up")
        {
            _agent, _autoAccept, _completeAfter, _wrapUpAfter, _autoDisposition,
        };
        offers.Validators.Add(result =>
        {
            Option[] simulation = [_completeAfter, _wrapUpAfter, _autoDisposition];
            if (!result.GetValue(_autoAccept) && simulation.Any(option => result.GetResult(option) is not null))
            {
                result.AddError("--complete-after, --wrap-up-after and --disposition need --auto-accept");
            }
        });
        yield return offers.RunsOnEngine(global, WatchOffersAsync);
        yield return new Command("accept", "accept an offer") { _agent, _interaction }.RunsOnEngine(global, AcceptAsync);
        yield return new Command("reject", "reject an offer; it is routed to someone else") { _agent, _interaction, _rejectReason }
            .RunsOnEngine(global, RejectAsync);
        yield return new Command("complete", "complete a connected interaction; wrap-up starts") { _agent, _interaction, _disposition }
            .RunsOnEngine(global, CompleteAsync);
        yield return new Command("end-wrap-up", "end wrap-up and free the capacity") { _agent, _interaction }.RunsOnEngine(global, EndWrapUpAsync);
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
            AgentId = context.Argument(_agent),
            Presence = context.Flag(_away) ? Presence.Away : Presence.Available,
        };
        var status = await Agents(context).SignInAsync(request, context.Unary);
        context.Output.Item(status, TextFormat.StatusLine);
        return 0;
    }

    private async Task<int> SignOutAsync(CommandContext context)
    {
        var request = new SignOutRequest { AgentId = context.Argument(_agent), Reason = context.Value(_signOutReason) ?? string.Empty };
        var status = await Agents(context).SignOutAsync(request, context.Unary);
        context.Output.Item(status, TextFormat.StatusLine);
        return 0;
    }

    private async Task<int> SetPresenceAsync(CommandContext context)
    {
        var status = await Agents(context).SetPresenceAsync(
            new SetPresenceRequest { AgentId = context.Argument(_agent), Presence = context.Argument(_presence) }, context.Unary);
        context.Output.Item(status, TextFormat.StatusLine);
        return 0;
    }

    private async Task<int> WatchOffersAsync(CommandContext context)
    {
        var agentId = context.Argument(_agent);
        var desktop = context.Flag(_autoAccept)
            ? new SimulatedDesktop(
                context,
                agentId,
                context.Value(_completeAfter) ?? TimeSpan.FromSeconds(5),
                context.Value(_wrapUpAfter) ?? TimeSpan.FromSeconds(2),
                context.Value(_autoDisposition) ?? string.Empty)
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
        var request = new AcceptOfferRequest { AgentId = context.Argument(_agent), InteractionId = context.Argument(_interaction) };
        var accepted = await Agents(context).AcceptOfferAsync(request, context.Unary);
        context.Output.Item(accepted, TextFormat.InteractionLine);
        return 0;
    }

    private async Task<int> RejectAsync(CommandContext context)
    {
        var request = new RejectOfferRequest
        {
            AgentId = context.Argument(_agent),
            InteractionId = context.Argument(_interaction),
            Reason = context.Value(_rejectReason) ?? string.Empty,
        };
        var rejected = await Agents(context).RejectOfferAsync(request, context.Unary);
        context.Output.Item(rejected, TextFormat.InteractionLine);
        return 0;
    }

    private async Task<int> CompleteAsync(CommandContext context)
    {
        var request = new CompleteInteractionRequest
        {
            AgentId = context.Argument(_agent),
            InteractionId = context.Argument(_interaction),
            Disposition = context.Value(_disposition) ?? string.Empty,
        };
        var completed = await Agents(context).CompleteInteractionAsync(request, context.Unary);
        context.Output.Item(completed, TextFormat.InteractionLine);
        return 0;
    }

    private async Task<int> EndWrapUpAsync(CommandContext context)
    {
        var request = new EndWrapUpRequest { AgentId = context.Argument(_agent), InteractionId = context.Argument(_interaction) };
        var ended = await Agents(context).EndWrapUpAsync(request, context.Unary);
        context.Output.Item(ended, TextFormat.InteractionLine);
        return 0;
    }
}
