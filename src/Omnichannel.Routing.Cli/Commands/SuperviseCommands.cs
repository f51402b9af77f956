using System.Globalization;
using System.CommandLine;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary>
/// <c>supervise …</c>: rebalance live through SupervisorService: move interactions, change priorities, change agents'
/// queues and skills, open and close queues. <c>--validate-only</c> changes nothing and prints the predicted impact.
/// </summary>
internal sealed class SuperviseCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Option<bool> validateOnly = new("--validate-only")
    {
        Description = "change nothing: print the predicted effect on each queue's wait and service level",
    };

    private readonly Argument<string> interaction = new("interaction");
    private readonly Argument<int> priority = new("priority") { CustomParser = ArgumentParsers.Integer() };
    private readonly Argument<string> agent = new("agent");
    private readonly Argument<string> queue = new("queue");
    private readonly Argument<string[]> queues = new("queue") { Arity = ArgumentArity.OneOrMore };
    private readonly Argument<IReadOnlyList<KeyValuePair<string, int>>> skills = new("skill:level")
    {
        Arity = ArgumentArity.OneOrMore,
        CustomParser = ArgumentParsers.SkillLevels(eachOnce: true),
    };

    private readonly Option<string> targetQueue = new("--queue") { Description = "target queue", HelpName = "queue", Required = true };
    private readonly Option<string> reason = new("--reason") { Description = "why, for the interaction's history", HelpName = "text" };
    private readonly Option<string> from = new("--from") { Description = "source queue", HelpName = "queue", Required = true };
    private readonly Option<string> to = new("--to") { Description = "target queue", HelpName = "queue", Required = true };
    private readonly Option<int> max = new("--max")
    {
        Description = "most interactions to move (at least 1)",
        HelpName = "n",
        Required = true,
        CustomParser = ArgumentParsers.Integer(minimum: 1),
    };

    public IEnumerable<Command> Commands()
    {
        yield return new Command("move", "move a waiting interaction to another queue, keeping its arrival time")
        {
            interaction, targetQueue, reason, validateOnly,
        }.RunsOnEngine(global, MoveAsync);
        yield return new Command("priority", "set a waiting interaction's base priority") { interaction, priority, validateOnly }
            .RunsOnEngine(global, PriorityAsync);
        yield return new Command("rebalance", "move up to --max waiting interactions, oldest first, from one queue to another, keeping arrival times")
        {
            from, to, max, validateOnly,
        }.RunsOnEngine(global, RebalanceAsync);
        yield return new Command("agent-queues", "replace the queues an agent serves, live") { agent, queues, validateOnly }
            .RunsOnEngine(global, AgentQueuesAsync);
        yield return new Command("agent-skills", "replace an agent's skills, live (each skill:level, level 1..10)") { agent, skills, validateOnly }
            .RunsOnEngine(global, AgentSkillsAsync);
        yield return new Command("open", "open a queue: it takes new interactions again") { queue, validateOnly }
            .RunsOnEngine(global, context => QueueOpenAsync(context, open: true));
        yield return new Command("close", "close (drain) a queue: new interactions are refused or overflow; those waiting are still served")
        {
            queue, validateOnly,
        }.RunsOnEngine(global, context => QueueOpenAsync(context, open: false));
    }

    private static SupervisorService.SupervisorServiceClient Supervisor(CommandContext context) => new(context.Invoker);

    private bool Validating(CommandContext context) => context.Flag(validateOnly);

    private int Report(CommandContext context, RebalanceResponse response, string action)
    {
        context.Output.Item(response, r => StatsFormat.RebalanceView(r, action, Validating(context)));
        return 0;
    }

    private async Task<int> MoveAsync(CommandContext context)
    {
        var request = new MoveInteractionRequest
        {
            InteractionId = context.Argument(interaction),
            TargetQueueId = context.Required(targetQueue),
            Reason = context.Value(reason) ?? string.Empty,
            ValidateOnly = Validating(context),
        };
        var response = await Supervisor(context).MoveInteractionAsync(request, context.Unary);
        return Report(context, response, $"move {request.InteractionId} to queue {request.TargetQueueId}");
    }

    private async Task<int> PriorityAsync(CommandContext context)
    {
        var request = new SetInteractionPriorityRequest
        {
            InteractionId = context.Argument(interaction),
            Priority = context.Argument(priority),
            ValidateOnly = Validating(context),
        };
        var response = await Supervisor(context).SetInteractionPriorityAsync(request, context.Unary);
        return Report(context, response, $"set the priority of {request.InteractionId} to {request.Priority.ToString(CultureInfo.InvariantCulture)}");
    }

    private async Task<int> RebalanceAsync(CommandContext context)
    {
        var request = new RebalanceQueueRequest
        {
            SourceQueueId = context.Required(from),
            TargetQueueId = context.Required(to),
            MaxInteractions = context.Required(max),
            ValidateOnly = Validating(context),
        };

        var response = await Supervisor(context).RebalanceQueueAsync(request, context.Unary);
        return Report(
            context,
            response,
            $"move up to {request.MaxInteractions.ToString(CultureInfo.InvariantCulture)} waiting interaction{(request.MaxInteractions == 1 ? string.Empty : "s")} from queue {request.SourceQueueId} to queue {request.TargetQueueId}");
    }

    private async Task<int> AgentQueuesAsync(CommandContext context)
    {
        var request = new SetAgentQueuesRequest { AgentId = context.Argument(agent), ValidateOnly = Validating(context) };
        request.QueueIds.AddRange(context.Argument(queues));
        var response = await Supervisor(context).SetAgentQueuesAsync(request, context.Unary);
        return Report(context, response, $"agent {request.AgentId} serves queues {string.Join(", ", request.QueueIds)}");
    }

    private async Task<int> AgentSkillsAsync(CommandContext context)
    {
        var request = new SetAgentSkillsRequest { AgentId = context.Argument(agent), ValidateOnly = Validating(context) };
        foreach (var (skill, level) in context.Argument(skills))
        {
            request.Skills.Add(skill, level);
        }

        var response = await Supervisor(context).SetAgentSkillsAsync(request, context.Unary);
        var skillList = string.Join(", ", request.Skills.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}:{s.Value.ToString(CultureInfo.InvariantCulture)}"));
        return Report(context, response, $"agent {request.AgentId} has skills {skillList}");
    }

    private async Task<int> QueueOpenAsync(CommandContext context, bool open)
    {
        var request = new SetQueueOpenRequest { QueueId = context.Argument(queue), Open = open, ValidateOnly = Validating(context) };
        var response = await Supervisor(context).SetQueueOpenAsync(request, context.Unary);
        return Report(context, response, $"{(open ? "open" : "close")} queue {request.QueueId}");
    }
}
