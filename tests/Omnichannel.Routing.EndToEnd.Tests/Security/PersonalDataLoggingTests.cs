using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Security;

/// <summary>A host logging everything at Debug, every category: a whole lifecycle leaves no attribute or context value in its output.</summary>
public sealed class PersonalDataLoggingTests
{
    private const string DisplayName = "Grete Vanderwoude";
    private const string Attribute = "vip-tier-QM55810";
    private const string ContextValue = "claim-RW30977-water-damage";
    private const string TransferContext = "callback-after-17h-LX4402";

    [Fact]
    public async Task A_lifecycle_logged_at_debug_in_every_category_writes_no_customer_attribute_or_context_value()
    {
        await using var engine = await HostProcess.StartAsync(
            "--Logging:LogLevel:Default=Debug", "--Logging:LogLevel:Microsoft=Debug", "--Logging:LogLevel:Microsoft.AspNetCore=Debug",
            "--Logging:LogLevel:Orleans=Debug", "--Logging:LogLevel:Grpc=Debug", "--Logging:LogLevel:Polly=Debug", "--Logging:LogLevel:System=Debug");
        var c = new EngineClient(engine.Channel);
        var queue = await c.QueueAsync("logged");
        var second = await c.QueueAsync("logged-second");
        var agent = await c.AgentAsync("logged-agent", [queue, second]);
        var customer = c.Id("logged-customer");
        await c.CustomerAsync(customer, DisplayName, "tier", Attribute);
        await using (var desk = await c.SignInAsync(agent))
        {
            var chat = await c.ServedAsync(desk, queue, r => { r.CustomerId = customer; r.Context.Add("claim", ContextValue); });
            await c.Routing.TransferInteractionAsync(new TransferInteractionRequest { InteractionId = chat.InteractionId, QueueId = second, Context = { ["callback"] = TransferContext } });
            await desk.NextOfferAsync(chat.InteractionId);
            await desk.AcceptAsync(chat.InteractionId);
            await desk.CompleteAsync(chat.InteractionId, "claim registered");
            await c.GetAsync(chat.InteractionId);
        }

        var email = await c.RouteAsync(queue, "email", r => { r.CustomerId = customer; r.Context.Add("claim", ContextValue); });
        await c.Routing.CancelInteractionAsync(new CancelInteractionRequest { InteractionId = email.InteractionId, Reason = "resolved by phone" });
        await c.Customers.GetCustomerJourneyAsync(new GetCustomerJourneyRequest { CustomerId = customer });
        await c.Admin.EraseCustomerAsync(new EraseCustomerRequest { CustomerId = customer });

        // The debug output is there: the search below reads what the host wrote, not an empty stream.
        Assert.True(engine.LinesContaining("dbug: ") > 0, engine.Output);
        Assert.Equal(
            [(DisplayName, 0), (Attribute, 0), (ContextValue, 0), (TransferContext, 0)],
            new[] { DisplayName, Attribute, ContextValue, TransferContext }.Select(v => (v, engine.LinesContaining(v))));
    }
}
