using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>queues stats</c> and <c>queues watch</c>: live queue statistics from SupervisorService.</summary>
internal sealed class QueueStatsCommands : ICommandGroup
{
    public void Register(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Add(new CommandDefinition(
            "queues stats",
            [],
            "statistics of the given queues (default: every queue): waits, service level, agents",
            [],
            StatsAsync)
        {
            Rest = new("queue"),
        });
        catalog.Add(new CommandDefinition(
            "queues watch",
            [],
            "queue statistics as a live table, redrawn as they change (Ctrl+C to stop)",
            [],
            WatchAsync)
        {
            Rest = new("queue"),
        });
    }

    private static async Task<int> StatsAsync(CommandContext context)
    {
        var client = new SupervisorService.SupervisorServiceClient(context.Invoker);
        var queueIds = context.CommandLine.ArgumentsFrom(0);
        var all = new List<QueueStats>();
        if (queueIds.Count > 0)
        {
            foreach (var queueId in queueIds)
            {
                all.Add(await client.GetQueueStatsAsync(new GetQueueStatsRequest { QueueId = queueId }, context.Unary));
            }
        }
        else
        {
            var request = new ListQueueStatsRequest();
            do
            {
                var page = await client.ListQueueStatsAsync(request, context.Unary);
                all.AddRange(page.Stats);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);
        }

        if (context.Output.Json)
        {
            all.ForEach(stats => context.Output.Item(stats, StatsFormat.QueueStatsLine));
        }
        else
        {
            context.Output.Note(LiveTable.Render(null, StatsFormat.QueueColumns, [.. all.Select(StatsFormat.QueueRow)], emptyText: "(no queues)"));
        }

        return 0;
    }

    private static async Task<int> WatchAsync(CommandContext context)
    {
        var client = new SupervisorService.SupervisorServiceClient(context.Invoker);
        var request = new WatchQueueStatsRequest();
        request.QueueIds.AddRange(context.CommandLine.ArgumentsFrom(0));
        using var call = client.WatchQueueStats(request, context.Streaming);
        var title = request.QueueIds.Count == 0 ? "queue stats (all queues)" : $"queue stats: {string.Join(", ", request.QueueIds)}";
        return await LiveWatch.RunAsync(
            context,
            call,
            new LiveWatchView<QueueStats>(
                title,
                "queues",
                StatsFormat.QueueColumns,
                s => s.QueueId,
                (s, _) => StatsFormat.QueueRow(s),
                (s, _) => StatsFormat.QueueStatsLine(s)));
    }
}
