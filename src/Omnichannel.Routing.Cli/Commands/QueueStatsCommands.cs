using System.CommandLine;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>_queues stats</c> and <c>_queues watch</c>: live queue statistics from SupervisorService.</summary>
internal sealed class QueueStatsCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Argument<string[]> _queues = new("queue") { Arity = ArgumentArity.ZeroOrMore, Description = "queues to show (default: every queue)" };

    public IEnumerable<Command> Commands()
    {
        yield return new Command("stats", "statistics of the given queues (default: every queue): waits, service level, agents") { _queues }
            .RunsOnEngine(global, StatsAsync);
        yield return new Command("watch", "queue statistics as a live table, redrawn as they change (Ctrl+C to stop)") { _queues }
            .RunsOnEngine(global, WatchAsync);
    }

    private async Task<int> StatsAsync(CommandContext context)
    {
        var client = new SupervisorService.SupervisorServiceClient(context.Invoker);
        var queueIds = context.Value(_queues) ?? [];
        var all = new List<QueueStats>();
        if (queueIds.Length > 0)
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
            context.Output.Note(StatsFormat.QueueTable.Build(all.Select(StatsFormat.QueueRow), "(no queues)"));
        }

        return 0;
    }

    private async Task<int> WatchAsync(CommandContext context)
    {
        var client = new SupervisorService.SupervisorServiceClient(context.Invoker);
        var request = new WatchQueueStatsRequest();
        request.QueueIds.AddRange(context.Value(_queues) ?? []);
        using var call = client.WatchQueueStats(request, context.Streaming);
        var title = request.QueueIds.Count == 0 ? "queue stats (all queues)" : $"queue stats: {string.Join(", ", request.QueueIds)}";
        return await LiveWatch.RunAsync(
            context,
            call,
            new WatchView<QueueStats>(
                title,
                "queues",
                StatsFormat.QueueTable,
                s => s.QueueId,
                (s, _) => StatsFormat.QueueRow(s),
                (s, _) => StatsFormat.QueueStatsLine(s)));
    }
}
