using System.CommandLine;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>agents …</c>: _agent definitions (and their live status) from AdminService.</summary>
internal sealed class AgentRegistryCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Option<string> _queue = new("--queue") { Description = "only members of this queue", HelpName = "queue" };
    private readonly Argument<string> _agent = new("agent");

    public IEnumerable<Command> Commands()
    {
        yield return new Command("list", "list agents, or the members of one queue") { _queue }.RunsOnEngine(global, ListAsync);
        yield return new Command("get", "show one agent") { _agent }.RunsOnEngine(global, GetAsync);
    }

    private async Task<int> ListAsync(CommandContext context)
    {
        var client = new AdminService.AdminServiceClient(context.Invoker);
        var request = new ListAgentsRequest { QueueId = context.Value(_queue) ?? string.Empty };
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

    private async Task<int> GetAsync(CommandContext context)
    {
        var client = new AdminService.AdminServiceClient(context.Invoker);
        var found = await client.GetAgentAsync(new GetAgentRequest { AgentId = context.Argument(_agent) }, context.Unary);
        context.Output.Item(found, TextFormat.AgentLine);
        return 0;
    }
}
