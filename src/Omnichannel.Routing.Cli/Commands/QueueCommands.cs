using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>queues …</c>: queue definitions from AdminService.</summary>
internal sealed class QueueCommands : ICommandGroup
{
    public void Register(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Add(new CommandDefinition("queues list", [], "list every queue", [], ListAsync));
        catalog.Add(new CommandDefinition("queues get", ["queue"], "show one queue", [], GetAsync));
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

    private static async Task<int> GetAsync(CommandContext context)
    {
        var client = new AdminService.AdminServiceClient(context.Invoker);
        var queue = await client.GetQueueAsync(new GetQueueRequest { QueueId = context.CommandLine.Argument(0) }, context.Unary);
        context.Output.Item(queue, TextFormat.QueueLine);
        return 0;
    }
}
