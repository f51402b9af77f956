using System.CommandLine;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>queues …</c>: _queue definitions from AdminService.</summary>
internal sealed class QueueCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Argument<string> _queue = new("queue");

    public IEnumerable<Command> Commands()
    {
        yield return new Command("list", "list every queue").RunsOnEngine(global, ListAsync);
        yield return new Command("get", "show one queue") { _queue }.RunsOnEngine(global, GetAsync);
    }

    private static async Task<int> ListAsync(CommandContext context)
    {
        var client = new AdminService.AdminServiceClient(context.Invoker);
        var request = new ListQueuesRequest();
        do
        {
            var page = await client.ListQueuesAsync(request, context.Unary);
            foreach (var queue in page.Queues)
            {
                context.Output.Item(queue, TextFormat.QueueLine);
            }

            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return 0;
    }

    private async Task<int> GetAsync(CommandContext context)
    {
        var client = new AdminService.AdminServiceClient(context.Invoker);
        var found = await client.GetQueueAsync(new GetQueueRequest { QueueId = context.Argument(_queue) }, context.Unary);
        context.Output.Item(found, TextFormat.QueueLine);
        return 0;
    }
}
