using System.Globalization;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary>
/// <c>supervise …</c>: rebalance live through SupervisorService: move interactions, change priorities, change agents'
/// queues and skills, open and close queues. <c>--validate-only</c> changes nothing and prints the predicted impact.
/// </summary>
internal sealed class SuperviseCommands : ICommandGroup
{
    private static readonly OptionDefinition ValidateOnly =
        new("validate-only", null, "change nothing: print the predicted effect on each queue's wait and service level");

    public void Register(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Add(new CommandDefinition(
            "supervise move",
            ["interaction"],
            "move a waiting interaction to another queue, keeping its arrival time",
            [new("queue", "queue", "target queue (required)"), new("reason", "text", "why, for the interaction's history"), ValidateOnly],
            MoveAsync));
        catalog.Add(new CommandDefinition(
            "supervise priority",
            ["interaction", "priority"],
            "set a waiting interaction's base priority",
            [ValidateOnly],
            PriorityAsync));
        catalog.Add(new CommandDefinition(
            "supervise rebalance",
            [],
            "move up to --max waiting interactions, oldest first, from one queue to another, keeping arrival times",
            [
                new("from", "queue", "source queue (required)"),
                new("to", "queue", "target queue (required)"),
                new("max", "n", "most interactions to move (required, at least 1)"),
                ValidateOnly,
            ],
            RebalanceAsync));
        catalog.Add(new CommandDefinition(
            "supervise agent-queues",
            ["agent"],
            "replace the queues an agent serves, live",
            [ValidateOnly],
            AgentQueuesAsync)
        {
            Rest = new("queue", Minimum: 1),
        });
        catalog.Add(new CommandDefinition(
            "supervise agent-skills",
            ["agent"],
            "replace an agent's skills, live (each skill:level, level 1..10)",
            [ValidateOnly],
            AgentSkillsAsync)
        {
            Rest = new("skill:level", Minimum: 1),
        });
        catalog.Add(new CommandDefinition(
            "supervise open", ["queue"], "open a queue: it takes new interactions again", [ValidateOnly], context => QueueOpenAsync(context, open: true)));
        catalog.Add(new CommandDefinition(
            "supervise close",
            ["queue"],
            "close (drain) a queue: new interactions are refused or overflow; those waiting are still served",
            [ValidateOnly],
            context => QueueOpenAsync(context, open: false)));
    }

    private static SupervisorService.SupervisorServiceClient Supervisor(CommandContext context) => new(context.Invoker);

    private static bool Validating(CommandContext context) => context.CommandLine.Flag(ValidateOnly.Name);

    private static int Report(CommandContext context, RebalanceResponse response, string action)
    {
        context.Output.Item(response, r => StatsFormat.RebalanceText(r, action, Validating(context)));
        return 0;
    }

    private static async Task<int> MoveAsync(CommandContext context)
    {
        var request = new MoveInteractionRequest
        {
            InteractionId = context.CommandLine.Argument(0),
            TargetQueueId = context.CommandLine.Required("queue"),
            Reason = context.CommandLine.Value("reason") ?? string.Empty,
            ValidateOnly = Validating(context),
        };
        var response = await Supervisor(context).MoveInteractionAsync(request, context.Unary);
        return Report(context, response, $"move {request.InteractionId} to queue {request.TargetQueueId}");
    }

    private static async Task<int> PriorityAsync(CommandContext context)
    {
        var text = context.CommandLine.Argument(1);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var priority))
        {
            throw new UsageException($"<priority>: '{text}' is not an integer");
        }

        var request = new SetInteractionPriorityRequest
        {
            InteractionId = context.CommandLine.Argument(0),
            Priority = priority,
            ValidateOnly = Validating(context),
        };
        var response = await Supervisor(context).SetInteractionPriorityAsync(request, context.Unary);
        return Report(context, response, $"set the priority of {request.InteractionId} to {priority.ToString(CultureInfo.InvariantCulture)}");
    }

    private static async Task<int> RebalanceAsync(CommandContext context)
    {
        var line = context.CommandLine;
        var request = new RebalanceQueueRequest
        {
            SourceQueueId = line.Required("from"),
            TargetQueueId = line.Required("to"),
            MaxInteractions = line.Integer("max") ?? throw new UsageException("--max is required"),
            ValidateOnly = Validating(context),
        };
        if (request.MaxInteractions < 1)
        {
            throw new UsageException("--max must be at least 1");
        }

        var response = await Supervisor(context).RebalanceQueueAsync(request, context.Unary);
        return Report(
            context,
            response,
            $"move up to {request.MaxInteractions.ToString(CultureInfo.InvariantCulture)} waiting interaction{(request.MaxInteractions == 1 ? string.Empty : "s")} from queue {request.SourceQueueId} to queue {request.TargetQueueId}");
    }

    private static async Task<int> AgentQueuesAsync(CommandContext context)
    {
        var request = new SetAgentQueuesRequest { AgentId = context.CommandLine.Argument(0), ValidateOnly = Validating(context) };
        request.QueueIds.AddRange(context.CommandLine.ArgumentsFrom(1));
        var response = await Supervisor(context).SetAgentQueuesAsync(request, context.Unary);
        return Report(context, response, $"agent {request.AgentId} serves queues {string.Join(", ", request.QueueIds)}");
    }

    private static async Task<int> AgentSkillsAsync(CommandContext context)
    {
        var request = new SetAgentSkillsRequest { AgentId = context.CommandLine.Argument(0), ValidateOnly = Validating(context) };
        foreach (var text in context.CommandLine.ArgumentsFrom(1))
        {
            var at = text.LastIndexOf(':');
            if (at <= 0 || !int.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var level))
            {
                throw new UsageException($"'{text}' is not of the form skill:level (e.g. spanish:7)");
            }

            var skill = text[..at];
            if (!request.Skills.TryAdd(skill, level))
            {
                throw new UsageException($"skill '{skill}' is given more than once");
            }
        }

        var response = await Supervisor(context).SetAgentSkillsAsync(request, context.Unary);
        var skills = string.Join(", ", request.Skills.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}:{s.Value.ToString(CultureInfo.InvariantCulture)}"));
        return Report(context, response, $"agent {request.AgentId} has skills {skills}");
    }

    private static async Task<int> QueueOpenAsync(CommandContext context, bool open)
    {
        var request = new SetQueueOpenRequest { QueueId = context.CommandLine.Argument(0), Open = open, ValidateOnly = Validating(context) };
        var response = await Supervisor(context).SetQueueOpenAsync(request, context.Unary);
        return Report(context, response, $"{(open ? "open" : "close")} queue {request.QueueId}");
    }
}
