using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>agents …</c>: agent definitions (and their live status) from AdminService.</summary>
internal sealed class AgentRegistryCommands : ICommandGroup
{
    public void Register(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Add(new CommandDefinition(
            "agents list",
            [],
            "list agents, or the members of one queue",
            [new("queue", "queue", "only members of this queue")],
            ListAsync));
        catalog.Add(new CommandDefinition("agents get", ["agent"], "show one agent", [], GetAsync));
    }

    private static async Task<int> ListAsync(CommandContext context)
    {
        var client = new AdminService.AdminServiceClient(context.Invoker);
        var request = new ListAgentsRequest { QueueId = context.CommandLine.Value("queue") ?? string.Empty };
        do
        {
            var page = await client.ListAgentsAsync(request, context.Unary);
            foreach (var agent in page.Agents)
            {
                context.Output.Item(agent, TextFormat.AgentLine);
            }

            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return 0;
    }

    private static async Task<int> GetAsync(CommandContext context)
    {
        var client = new AdminService.AdminServiceClient(context.Invoker);
        var agent = await client.GetAgentAsync(new GetAgentRequest { AgentId = context.CommandLine.Argument(0) }, context.Unary);
        context.Output.Item(agent, TextFormat.AgentLine);
        return 0;
    }
}
