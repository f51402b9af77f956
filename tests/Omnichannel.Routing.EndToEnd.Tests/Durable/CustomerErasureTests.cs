using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Npgsql;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests.Durable;

/// <summary>
/// EraseCustomer on the durable engine: afterwards no column of any table of the database holds the customer's id,
/// name, attributes or context, while queue statistics and interval reports read as before.
/// </summary>
public sealed class CustomerErasureTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private const string DisplayName = "Ada Quibblethorpe";
    private const string Attribute = "loyalty-QX7741-gold";
    private const string ContextValue = "parcel-ZK90417-lost";

    [Fact]
    public async Task After_EraseCustomer_no_table_holds_the_customers_data_and_statistics_and_reports_are_unchanged()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var engine = await HostProcess.StartAsync("--ConnectionStrings:Routing=" + database.ConnectionString);
        var c = new EngineClient(engine.Channel);
        var reports = new ReportingService.ReportingServiceClient(engine.Channel);
        var started = DateTime.UtcNow.AddMinutes(-1);
        var queue = await c.QueueAsync("erasure");
        var agent = await c.AgentAsync("erasure-agent", [queue]);
        var customer = c.Id("erasable");
        await c.CustomerAsync(customer, DisplayName, "loyalty", Attribute);
        await using (var desk = await c.SignInAsync(agent))
        {
            var served = await c.ServedAsync(desk, queue, r => { r.CustomerId = customer; r.Context.Add("parcel", ContextValue); });
            await desk.CompleteAsync(served.InteractionId, "resolved");
        }

        var left = await c.RouteAsync(queue, "email", r => { r.CustomerId = customer; r.Context.Add("parcel", ContextValue); });
        await c.Routing.CancelInteractionAsync(new CancelInteractionRequest { InteractionId = left.InteractionId, Reason = "left" });
        await WaitForEndedJourneyAsync(c, customer, 2);
        var values = new[] { customer, DisplayName, Attribute, ContextValue };
        foreach (var value in values)
        {
            // The search finds what is there: each value is stored somewhere before the erasure.
            Assert.NotEmpty(await PlacesHoldingAsync(database, value));
        }

        var report = new GetIntervalReportRequest
        {
            From = Timestamp.FromDateTime(started),
            To = Timestamp.FromDateTime(DateTime.UtcNow.AddMinutes(1)),
            Interval = Duration.FromTimeSpan(TimeSpan.FromMinutes(15)),
            QueueId = queue,
        };
        var reportBefore = await reports.GetIntervalReportAsync(report);
        var statsBefore = await c.Supervisor.GetQueueStatsAsync(new GetQueueStatsRequest { QueueId = queue });

        var erased = await c.Admin.EraseCustomerAsync(new EraseCustomerRequest { CustomerId = customer });

        Assert.Equal(2, erased.Interactions);
        foreach (var value in values)
        {
            Assert.Empty(await PlacesHoldingAsync(database, value));
        }

        Assert.NotEmpty(await PlacesHoldingAsync(database, erased.PseudonymousId));
        Assert.Equal(reportBefore.Queues, (await reports.GetIntervalReportAsync(report)).Queues);
        var statsAfter = await c.Supervisor.GetQueueStatsAsync(new GetQueueStatsRequest { QueueId = queue });
        Assert.Equal(
            (statsBefore.Waiting, statsBefore.Offered, statsBefore.Connected, statsBefore.Abandoned, statsBefore.Answered, statsBefore.ServiceLevelPercent),
            (statsAfter.Waiting, statsAfter.Offered, statsAfter.Connected, statsAfter.Abandoned, statsAfter.Answered, statsAfter.ServiceLevelPercent));
        var interaction = await c.GetAsync(left.InteractionId);
        Assert.Equal((erased.PseudonymousId, 0), (interaction.CustomerId, interaction.Context.Count));
    }

    [Fact]
    public async Task EraseCustomer_without_a_customer_id_is_refused_naming_the_field()
    {
        await using var engine = await HostProcess.StartAsync("--ConnectionStrings:Routing=" + (await postgres.Server.CreateDatabaseAsync()).ConnectionString);
        var c = new EngineClient(engine.Channel);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await c.Admin.EraseCustomerAsync(new EraseCustomerRequest()));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("customer_id", refused.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task WaitForEndedJourneyAsync(EngineClient c, string customer, int ended)
    {
        var deadline = DateTime.UtcNow + EngineClient.Wait;
        while ((await c.Customers.GetCustomerJourneyAsync(new GetCustomerJourneyRequest { CustomerId = customer })).Entries
               .Count(e => e.State is InteractionState.Completed or InteractionState.Abandoned) < ended)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the journey of {customer} did not show {ended} ended interactions");
            await Task.Delay(25);
        }
    }

    /// <summary>Every column of every table that holds <paramref name="value"/>: text and JSON as text, binary state as UTF-8 bytes.</summary>
    private static async Task<List<string>> PlacesHoldingAsync(TestDatabase database, string value)
    {
        await using var connection = await database.OpenAsync();
        var columns = new List<(string Table, string Column, string Type)>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea', 'ARRAY')",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var places = new List<string>();
        foreach (var (table, column, type) in columns)
        {
            var match = type == "bytea" ? $"position(convert_to(@value, 'UTF8') in \"{column}\") > 0" : $"strpos(\"{column}\"::text, @value) > 0";
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\" WHERE {match}", connection);
            count.Parameters.AddWithValue("value", value);
            if ((long)(await count.ExecuteScalarAsync())! > 0)
            {
                places.Add($"{table}.{column}");
            }
        }

        return places;
    }
}
