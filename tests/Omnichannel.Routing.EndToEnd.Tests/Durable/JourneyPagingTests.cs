using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Durable;

/// <summary>Thousands of interactions of one customer: the grain keeps a bounded journey, paging reads it all.</summary>
public sealed class JourneyPagingTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private const int Interactions = 2000;

    [Fact]
    public async Task Thousands_of_interactions_keep_the_customer_grain_bounded_and_the_journey_complete_through_paging()
    {
        await using var engine = await HostProcess.StartAsync("--ConnectionStrings:Routing=" + (await postgres.Server.CreateDatabaseAsync()).ConnectionString);
        var c = new EngineClient(engine.Channel);
        var queue = await c.QueueAsync("journey");
        var customer = c.Id("frequent");
        var routed = new List<string>();
        for (var batch = 0; batch < Interactions / 20; batch++)
        {
            var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            {
                var interaction = await c.RouteAsync(queue, "chat", r => r.CustomerId = customer);
                await c.Routing.CancelInteractionAsync(new CancelInteractionRequest { InteractionId = interaction.InteractionId, Reason = "left" });
                return interaction.InteractionId;
            }));
            routed.AddRange(ids);
        }

        var pages = new List<GetCustomerJourneyResponse>();
        var token = string.Empty;
        do
        {
            var page = await c.Customers.GetCustomerJourneyAsync(new GetCustomerJourneyRequest { CustomerId = customer, PageSize = 1000, PageToken = token });
            pages.Add(page);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        // The grain answers the first page alone, and it holds only the newest 200; the log holds the rest.
        Assert.Equal(200, pages[0].Entries.Count);
        Assert.True(pages.Count > 2, $"expected several pages, got {pages.Count}");
        var seen = pages.SelectMany(p => p.Entries).Select(e => e.InteractionId).ToList();
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(routed.ToHashSet(), seen.ToHashSet());
        Assert.All(pages.SelectMany(p => p.Entries), e => Assert.Equal(InteractionState.Abandoned, e.State));
    }
}
