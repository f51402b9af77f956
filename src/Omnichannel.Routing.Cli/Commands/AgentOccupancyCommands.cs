using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>agents occupancy</c> and <c>agents watch</c>: agent occupancy and state from WorkforceService.</summary>
internal sealed class AgentOccupancyCommands : ICommandGroup
{
    private static readonly OptionDefinition Queue = new("queue", "queue", "only members of this queue");

    public void Register(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Add(new CommandDefinition(
            "agents occupancy",
            [],
            "occupancy of one agent (in detail), of a queue's members, or of every agent",
            [Queue],
            OccupancyAsync)
        {
            Rest = new("agent", Maximum: 1),
        });
        catalog.Add(new CommandDefinition(
            "agents watch",
            [],
            "agent occupancy as a live table, redrawn as it changes (Ctrl+C to stop)",
            [Queue],
            WatchAsync)
        {
            Rest = new("agent"),
        });
    }

    private static async Task<int> OccupancyAsync(CommandContext context)
    {
        var client = new WorkforceService.WorkforceServiceClient(context.Invoker);
        var agents = context.CommandLine.ArgumentsFrom(0);
        var agentId = agents.Count > 0 ? agents[0] : null;
        var queueId = context.CommandLine.Value(Queue.Name);
        if (agentId is not null && queueId is not null)
        {
            throw new UsageException("give an agent or --queue, not both");
        }

        var now = DateTimeOffset.UtcNow;
        if (agentId is not null)
        {
            var occupancy = await client.GetAgentOccupancyAsync(new GetAgentOccupancyRequest { AgentId = agentId }, context.Unary);
            context.Output.Item(occupancy, o => string.Join(
                Environment.NewLine,
                LiveTable.Render(null, OccupancyFormat.Columns, [OccupancyFormat.Row(o, now)]),
                string.Empty,
                OccupancyFormat.Details(o)));
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
            context.Output.Note(LiveTable.Render(null, OccupancyFormat.Columns, [.. all.Select(o => OccupancyFormat.Row(o, now))], emptyText: "(no agents)"));
        }

        return 0;
    }

    private static async Task<int> WatchAsync(CommandContext context)
    {
        var client = new WorkforceService.WorkforceServiceClient(context.Invoker);
        var request = new WatchAgentOccupancyRequest { QueueId = context.CommandLine.Value(Queue.Name) ?? string.Empty };
        request.AgentIds.AddRange(context.CommandLine.ArgumentsFrom(0));
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
            new LiveWatchView<AgentOccupancy>(
                title,
                "agents",
                OccupancyFormat.Columns,
                o => o.AgentId,
                OccupancyFormat.Row,
                OccupancyFormat.Line));
    }
}
