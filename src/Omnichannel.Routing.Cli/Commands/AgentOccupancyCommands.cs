using System.CommandLine;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>_agents occupancy</c> and <c>_agents watch</c>: _agent occupancy and state from WorkforceService.</summary>
internal sealed class AgentOccupancyCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Option<string> _queue = new("--queue") { Description = "only members of this queue", HelpName = "queue" };
    private readonly Argument<string?> _agent = new("agent") { Arity = ArgumentArity.ZeroOrOne, Description = "one agent, in detail" };
    private readonly Argument<string[]> _agents = new("agent") { Arity = ArgumentArity.ZeroOrMore, Description = "agents to watch (default: every agent)" };

    public IEnumerable<Command> Commands()
    {
        var occupancy = new Command("occupancy", "occupancy of one agent (in detail), of a queue's members, or of every agent") { _agent, _queue };
        occupancy.Validators.Add(result =>
        {
            if (result.GetValue(_agent) is not null && result.GetValue(_queue) is not null)
            {
                result.AddError("give an agent or --queue, not both");
            }
        });
        yield return occupancy.RunsOnEngine(global, OccupancyAsync);
        yield return new Command("watch", "agent occupancy as a live table, redrawn as it changes (Ctrl+C to stop)") { _agents, _queue }
            .RunsOnEngine(global, WatchAsync);
    }

    private async Task<int> OccupancyAsync(CommandContext context)
    {
        var client = new WorkforceService.WorkforceServiceClient(context.Invoker);
        var agentId = context.Value(_agent);
        var queueId = context.Value(_queue);

        var now = DateTimeOffset.UtcNow;
        if (agentId is not null)
        {
            var occupancy = await client.GetAgentOccupancyAsync(new GetAgentOccupancyRequest { AgentId = agentId }, context.Unary);
            context.Output.Item(occupancy, o => OccupancyFormat.View(o, now));
            return 0;
        }

        var all = new List<AgentOccupancy>();
        var request = new ListAgentOccupancyRequest { QueueId = queueId ?? string.Empty };
        do
        {
            var page = await client.ListAgentOccupancyAsync(request, context.Unary);
            all.AddRange(page.Occupancies);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        if (context.Output.Json)
        {
            all.ForEach(o => context.Output.Item(o, x => OccupancyFormat.Line(x, now)));
        }
        else
        {
            context.Output.Note(OccupancyFormat.AgentTable.Build(all.Select(o => OccupancyFormat.Row(o, now)), "(no agents)"));
        }

        return 0;
    }

    private async Task<int> WatchAsync(CommandContext context)
    {
        var client = new WorkforceService.WorkforceServiceClient(context.Invoker);
        var request = new WatchAgentOccupancyRequest { QueueId = context.Value(_queue) ?? string.Empty };
        request.AgentIds.AddRange(context.Value(_agents) ?? []);
        using var call = client.WatchAgentOccupancy(request, context.Streaming);
        var filters = new List<string>();
        if (request.QueueId.Length > 0)
        {
            filters.Add($"queue {request.QueueId}");
        }

        if (request.AgentIds.Count > 0)
        {
            filters.Add(string.Join(", ", request.AgentIds));
        }

        var title = filters.Count == 0 ? "agent occupancy (all agents)" : $"agent occupancy: {string.Join("; ", filters)}";
        return await LiveWatch.RunAsync(
            context,
            call,
            new WatchView<AgentOccupancy>(
                title,
                "agents",
                OccupancyFormat.AgentTable,
                o => o.AgentId,
                OccupancyFormat.Row,
                OccupancyFormat.Line));
    }
}
