using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;
using static Omnichannel.Routing.Cli.Tests.Output.TerminalText;

namespace Omnichannel.Routing.Cli.Tests.Output;

public sealed class StatsViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 31, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_queue_statistics_row_shows_each_figure_under_its_heading()
    {
        var stats = new QueueStats
        {
            QueueId = "support",
            Open = true,
            Waiting = 12,
            Offered = 3,
            Connected = 4,
            LongestWait = Duration.FromTimeSpan(TimeSpan.FromSeconds(210)),
            AverageWait = Duration.FromTimeSpan(TimeSpan.FromSeconds(12.34)),
            ServiceLevelPercent = 41,
            ServiceLevelWindow = Duration.FromTimeSpan(TimeSpan.FromMinutes(15)),
            Abandoned = 2,
            AgentsEligible = 4,
            AgentsAvailable = 1,
            EstimatedWait = Duration.FromTimeSpan(TimeSpan.FromSeconds(90)),
        };

        var lines = Lines(StatsFormat.QueueTable.Build([StatsFormat.QueueRow(stats)]), 200);
        var heading = lines.Single(l => l.Contains("QUEUE", StringComparison.Ordinal));
        var row = lines.Single(l => l.Contains("support", StringComparison.Ordinal));
        Assert.Contains("3m30s", row, StringComparison.Ordinal);
        Assert.Contains("12.3s", row, StringComparison.Ordinal);
        Assert.Contains("41.0% (15m)", row, StringComparison.Ordinal);
        Assert.Contains("4/1", row, StringComparison.Ordinal);
        Assert.Equal(ColumnOf(heading, "WAITING") + "WAITING".Length, ColumnOf(row, "12") + 2);
    }

    [Fact]
    public void A_validated_rebalance_says_nothing_changed_and_shows_the_predicted_impact_per_queue()
    {
        var response = new RebalanceResponse { ValidatedOnly = true, Model = "erlang-c" };
        response.AffectedInteractionIds.Add(["i-1", "i-2"]);
        response.Impacts.Add(new QueueImpact
        {
            QueueId = "support",
            WaitingBefore = 12,
            WaitingAfter = 7,
            EstimatedWaitBefore = Duration.FromTimeSpan(TimeSpan.FromSeconds(210)),
            EstimatedWaitAfter = Duration.FromTimeSpan(TimeSpan.FromSeconds(120)),
            ServiceLevelPercentBefore = 41,
            ServiceLevelPercentAfter = 41,
            AgentsBefore = 4,
            AgentsAfter = 4,
        });

        var text = PlainText.Render(StatsFormat.RebalanceView(response, "move up to 5 waiting interactions from queue support to queue sales", validateOnly: true), 120);
        var lines = text.Split(Environment.NewLine);
        Assert.Equal("validated, nothing changed: move up to 5 waiting interactions from queue support to queue sales", lines[0]);
        Assert.Equal("would affect 2 interactions: i-1, i-2", lines[1]);
        Assert.Contains("predicted impact (model: erlang-c):", text, StringComparison.Ordinal);
        var support = lines.Single(l => l.Contains("support", StringComparison.Ordinal) && l.Contains('→', StringComparison.Ordinal));
        Assert.Contains("12→7", support, StringComparison.Ordinal);
        Assert.Contains("3m30s→2m00s", support, StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_made_without_queue_impact_says_so_in_plain_lines()
    {
        var text = PlainText.Render(StatsFormat.RebalanceView(new RebalanceResponse(), "open queue sales", validateOnly: false), 120);
        Assert.Equal(string.Join(Environment.NewLine, "done: open queue sales", "no interaction affected", "no queue impact reported"), text);
    }

    [Fact]
    public void One_agent_in_detail_is_the_table_row_then_the_times_it_leaves_out()
    {
        var occupancy = new AgentOccupancy
        {
            AgentId = "王小明",
            SignedIn = true,
            Presence = Presence.Available,
            Activity = AgentActivity.Busy,
            StateSince = Timestamp.FromDateTimeOffset(Now.AddSeconds(-75)),
            UnitsUsed = 30,
            UnitsTotal = 100,
            OccupancyPercent15M = 50,
            OccupancyPercentDay = 25,
        };
        occupancy.Loads.Add(new ChannelLoad { Channel = "chat", Active = 1, MaxConcurrent = 3 });
        occupancy.PresenceTime.Add(new StateTime { State = "AVAILABLE", Duration = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) });

        var lines = Lines(OccupancyFormat.View(occupancy, Now), 160);
        var heading = lines.Single(l => l.Contains("AGENT", StringComparison.Ordinal));
        var row = lines.Single(l => l.Contains("王小明", StringComparison.Ordinal));
        Assert.Equal(ColumnOf(heading, "PRESENCE"), ColumnOf(row, "AVAILABLE"));
        Assert.Contains("1m15s", row, StringComparison.Ordinal);
        Assert.Contains("chat 1/3", row, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("presence time:  AVAILABLE 5m00s", StringComparison.Ordinal));

        // One blank line between the table and the details, as the client prints it.
        var printed = PlainText.Render(OccupancyFormat.View(occupancy, Now), 160).Split(Environment.NewLine);
        var details = Array.FindIndex(printed, l => l.StartsWith("state since:", StringComparison.Ordinal));
        Assert.Equal(string.Empty, printed[details - 1]);
        Assert.Contains("王小明", printed[details - 2], StringComparison.Ordinal);
    }
}
