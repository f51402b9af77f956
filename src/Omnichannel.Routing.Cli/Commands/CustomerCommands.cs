using System.CommandLine;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>_customer …</c>: a _customer's profile and journey across channels (CustomerService).</summary>
internal sealed class CustomerCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Argument<string> _customer = new("customer");
    private readonly Option<int> _pageSize = new("--page-size")
    {
        Description = "entries per request (default 100)",
        HelpName = "n",
        CustomParser = ArgumentParsers.Integer(minimum: 1),
    };

    private readonly Option<string> _name = new("--name") { Description = "display name", HelpName = "text" };
    private readonly Option<IReadOnlyList<KeyValuePair<string, string>>> _attributes = new("--attribute")
    {
        Description = "profile attribute (repeatable)",
        HelpName = "key=value",
        CustomParser = ArgumentParsers.Pairs('='),
    };

    public IEnumerable<Command> Commands()
    {
        yield return new Command("journey", "the customer's interactions on every channel, newest first (every page)") { _customer, _pageSize }
            .RunsOnEngine(global, JourneyAsync);
        yield return new Command("upsert", "create or update a customer's profile") { _customer, _name, _attributes }
            .RunsOnEngine(global, UpsertAsync);
    }

    private async Task<int> JourneyAsync(CommandContext context)
    {
        var client = new CustomerService.CustomerServiceClient(context.Invoker);
        var request = new GetCustomerJourneyRequest
        {
            CustomerId = context.Argument(_customer),
            PageSize = context.Value(_pageSize),
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

    private async Task<int> UpsertAsync(CommandContext context)
    {
        var client = new CustomerService.CustomerServiceClient(context.Invoker);
        var profile = new Customer { CustomerId = context.Argument(_customer), DisplayName = context.Value(_name) ?? string.Empty };
        foreach (var (key, value) in context.Value(_attributes) ?? [])
        {
            profile.Attributes[key] = value;
        }

        var saved = await client.UpsertCustomerAsync(new UpsertCustomerRequest { Customer = profile }, context.Unary);
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
