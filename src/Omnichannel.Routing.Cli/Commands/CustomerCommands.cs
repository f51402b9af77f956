using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>customer …</c>: a customer's profile and journey across channels (CustomerService).</summary>
internal sealed class CustomerCommands : ICommandGroup
{
    public void Register(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Add(new CommandDefinition(
            "customer journey",
            ["customer"],
            "the customer's interactions on every channel, newest first (every page)",
            [new("page-size", "n", "entries per request (default 100)")],
            JourneyAsync));
        catalog.Add(new CommandDefinition(
            "customer upsert",
            ["customer"],
            "create or update a customer's profile",
            [new("name", "text", "display name"), new("attribute", "key=value", "profile attribute", Repeatable: true)],
            UpsertAsync));
    }

    private static async Task<int> JourneyAsync(CommandContext context)
    {
        var client = new CustomerService.CustomerServiceClient(context.Invoker);
        var request = new GetCustomerJourneyRequest
        {
            CustomerId = context.CommandLine.Argument(0),
            PageSize = int.TryParse(context.CommandLine.Value("page-size"), out var size) ? size : 0,
        };
        var first = true;
        do
        {
            var page = await client.GetCustomerJourneyAsync(request, context.Unary);
            if (first)
            {
                context.Output.Item(page.Customer, CustomerLine);
                first = false;
            }

            foreach (var entry in page.Entries)
            {
                context.Output.Item(entry, JourneyLine);
            }

            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return 0;
    }

    private static async Task<int> UpsertAsync(CommandContext context)
    {
        var client = new CustomerService.CustomerServiceClient(context.Invoker);
        var customer = new Customer { CustomerId = context.CommandLine.Argument(0), DisplayName = context.CommandLine.Value("name") ?? string.Empty };
        foreach (var (key, value) in context.CommandLine.Pairs("attribute", '='))
        {
            customer.Attributes[key] = value;
        }

        var saved = await client.UpsertCustomerAsync(new UpsertCustomerRequest { Customer = customer }, context.Unary);
        context.Output.Item(saved, CustomerLine);
        return 0;
    }

    private static string CustomerLine(Customer c) =>
        $"customer {c.CustomerId}"
        + (c.DisplayName.Length > 0 ? $"  \"{c.DisplayName}\"" : string.Empty)
        + (c.LastAgentId.Length > 0 ? $"  last-agent={c.LastAgentId}" : string.Empty)
        + $"  active={c.ActiveInteractionIds.Count}"
        + (c.Attributes.Count > 0 ? "  " + string.Join(",", c.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}")) : string.Empty);

    private static string JourneyLine(JourneyEntry e) =>
        $"  {TextFormat.Time(e.CreateTime)}  {e.Channel,-9} {TextFormat.Name(e.State),-10} {e.InteractionId}  queue={e.QueueId}"
        + (e.AgentId.Length > 0 ? $"  agent={e.AgentId}" : string.Empty)
        + (e.Disposition.Length > 0 ? $"  disposition={e.Disposition}" : string.Empty)
        + (e.Context.Count > 0 ? "  context=" + string.Join(",", e.Context.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")) : string.Empty)
        + $"  journey={e.JourneyId}";
}
