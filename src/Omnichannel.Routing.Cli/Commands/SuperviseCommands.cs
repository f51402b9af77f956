using System.CommandLine;
using System.Globalization;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary>
/// <c>supervise …</c>: rebalance live through SupervisorService: move interactions, change priorities, change agents'
/// _queues and _skills, open and close _queues. <c>--validate-only</c> changes nothing and prints the predicted impact.
/// </summary>
internal sealed class SuperviseCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Option<bool> _validateOnly = new("--validate-only")
    {
        Description = "change nothing: print the predicted effect on each queue's wait and service level",
    };

    private readonly Argument<string> _interaction = new("interaction");
    private readonly Argument<int> _priority = new("priority") { CustomParser = ArgumentParsers.Integer() };
    private readonly Argument<string> _agent = new("agent");
    private readonly Argument<string> _queue = new("queue");
    private readonly Argument<string[]> _queues = new("queue") { Arity = ArgumentArity.OneOrMore };
    private readonly Argument<IReadOnlyList<KeyValuePair<string, int>>> _skills = new("skill:level")
    {
        Arity = ArgumentArity.OneOrMore,
        CustomParser = ArgumentParsers.SkillLevels(eachOnce: true),
    };

    private readonly Option<string> _targetQueue = new("--queue") { Description = "target queue", HelpName = "queue", Required = true };
    private readonly Option<string> _reason = new("--reason") { Description = "why, for the interaction's history", HelpName = "text" };
    private readonly Option<string> _from = new("--from") { Description = "source queue", HelpName = "queue", Required = true };
    private readonly Option<string> _to = new("--to") { Description = "target queue", HelpName = "queue", Required = true };
    private readonly Option<int> _max = new("--max")
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
            _interaction, _targetQueue, _reason, _validateOnly,
        }.RunsOnEngine(global, MoveAsync);
        yield return new Command("priority", "set a waiting interaction's base priority") { _interaction, _priority, _validateOnly }
            .RunsOnEngine(global, PriorityAsync);
        yield return new Command("rebalance", "move up to --max waiting interactions, oldest first, from one queue to another, keeping arrival times")
        {
            _from, _to, _max, _validateOnly,
        }.RunsOnEngine(global, RebalanceAsync);
        yield return new Command("agent-queues", "replace the queues an agent serves, live") { _agent, _queues, _validateOnly }
            .RunsOnEngine(global, AgentQueuesAsync);
        yield return new Command("agent-skills", "replace an agent's skills, live (each skill:level, level 1..10)") { _agent, _skills, _validateOnly }
            .RunsOnEngine(global, AgentSkillsAsync);
        yield return new Command("open", "open a queue: it takes new interactions again") { _queue, _validateOnly }
            .RunsOnEngine(global, context => QueueOpenAsync(context, open: true));
        yield return new Command("close", "close (drain) a queue: new interactions are refused or overflow; those waiting are still served")
        {
            _queue, _validateOnly,
        }.RunsOnEngine(global, context => QueueOpenAsync(context, open: false));
    }

    private static SupervisorService.SupervisorServiceClient Supervisor(CommandContext context) => new(context.Invoker);

    private bool Validating(CommandContext context) => context.Flag(_validateOnly);

    private int Report(CommandContext context, RebalanceResponse response, string action)
    {
        context.Output.Item(response, r => StatsFormat.RebalanceView(r, action, Validating(context)));
        return 0;
    }

    private async Task<int> MoveAsync(CommandContext context)
    {
        var request = new MoveInteractionRequest
        {
            InteractionId = context.Argument(_interaction),
            TargetQueueId = context.Required(_targetQueue),
            Reason = context.Value(_reason) ?? string.Empty,
            ValidateOnly = Validating(context),
        };
        var response = await Supervisor(context).MoveInteractionAsync(request, context.Unary);
        return Report(context, response, $"move {request.InteractionId} to queue {request.TargetQueueId}");
    }

    private async Task<int> PriorityAsync(CommandContext context)
    {
        var request = new SetInteractionPriorityRequest
        {
            InteractionId = context.Argument(_interaction),
            Priority = context.Argument(_priority),
            ValidateOnly = Validating(context),
        };
        var response = await Supervisor(context).SetInteractionPriorityAsync(request, context.Unary);
        return Report(context, response, $"set the priority of {request.InteractionId} to {request.Priority.ToString(CultureInfo.InvariantCulture)}");
    }

    private async Task<int> RebalanceAsync(CommandContext context)
    {
        var request = new RebalanceQueueRequest
        {
            SourceQueueId = context.Required(_from),
            TargetQueueId = context.Required(_to),
            MaxInteractions = context.Required(_max),
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
        var request = new SetAgentQueuesRequest { AgentId = context.Argument(_agent), ValidateOnly = Validating(context) };
        request.QueueIds.AddRange(context.Argument(_queues));
        var response = await Supervisor(context).SetAgentQueuesAsync(request, context.Unary);
        return Report(context, response, $"agent {request.AgentId} serves queues {string.Join(", ", request.QueueIds)}");
    }

    private async Task<int> AgentSkillsAsync(CommandContext context)
    {
        var request = new SetAgentSkillsRequest { AgentId = context.Argument(_agent), ValidateOnly = Validating(context) };
        foreach (var (skill, level) in context.Argument(_skills))
        {
            request.Skills.Add(skill, level);
        }

        var response = await Supervisor(context).SetAgentSkillsAsync(request, context.Unary);
        var skillList = string.Join(", ", request.Skills.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}:{s.Value.ToString(CultureInfo.InvariantCulture)}"));
        return Report(context, response, $"agent {request.AgentId} has skills {skillList}");
    }

    private async Task<int> QueueOpenAsync(CommandContext context, bool open)
    {
        var request = new SetQueueOpenRequest { QueueId = context.Argument(_queue), Open = open, ValidateOnly = Validating(context) };
        var response = await Supervisor(context).SetQueueOpenAsync(request, context.Unary);
        return Report(context, response, $"{(open ? "open" : "close")} queue {request.QueueId}");
    }
}
