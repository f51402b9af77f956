using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;
using static Omnichannel.Routing.Cli.Tests.Output.TerminalText;

namespace Omnichannel.Routing.Cli.Tests.Output;

public sealed class WatchBoardTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 31, 10, 0, 0, TimeSpan.Zero);

    private static WatchBoard<QueueStats> Board() => new(new WatchView<QueueStats>(
        "queue stats (all queues)",
        "queues",
        StatsFormat.QueueTable,
        s => s.QueueId,
        (s, _) => StatsFormat.QueueRow(s),
        (s, _) => StatsFormat.QueueStatsLine(s)));

    [Fact]
    public void Before_any_message_the_frame_waits_for_the_engine_with_an_empty_table()
    {
        var text = PlainText.Render(Board().Frame(Now, "Ctrl+C to exit"), 200);
        Assert.StartsWith("queue stats (all queues) · 0 queues · waiting for the engine · Ctrl+C to exit", text, StringComparison.Ordinal);
        Assert.EndsWith("(no queues yet)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_key_shows_once_with_its_latest_message_rows_ordered_by_key()
    {
        var board = Board();
        board.Record(new QueueStats { QueueId = "support", Waiting = 1 }, Now);
        board.Record(new QueueStats { QueueId = "billing", Waiting = 2 }, Now);
        board.Record(new QueueStats { QueueId = "support", Waiting = 9 }, Now.AddSeconds(5));

        var lines = Lines(board.Frame(Now, "Ctrl+C to exit"), 200);
        Assert.StartsWith("queue stats (all queues) · 2 queues · updated 10:00:05 · Ctrl+C to exit", lines[0], StringComparison.Ordinal);
        var rows = lines.Where(l => l.Contains("support", StringComparison.Ordinal) || l.Contains("billing", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("billing", rows[0], StringComparison.Ordinal);
        Assert.Contains("support", rows[1], StringComparison.Ordinal);
        Assert.Contains(" 9 ", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_is_reported_once_until_the_next_message()
    {
        var board = Board();
        Assert.True(board.TakeChange());
        Assert.False(board.TakeChange());

        board.Record(new QueueStats { QueueId = "support" }, Now);
        Assert.True(board.TakeChange());
        Assert.False(board.TakeChange());
    }

    [Fact]
    public void A_long_title_is_cut_to_the_terminal_rather_than_wrapped()
    {
        var board = new WatchBoard<QueueStats>(new WatchView<QueueStats>(
            "queue stats: " + string.Join(", ", Enumerable.Range(1, 30).Select(i => $"queue-{i}")),
            "queues",
            StatsFormat.QueueTable,
            s => s.QueueId,
            (s, _) => StatsFormat.QueueRow(s),
            (s, _) => StatsFormat.QueueStatsLine(s)));

        var lines = Lines(board.Frame(Now, "Ctrl+C to exit"), 60);
        Assert.All(lines, l => Assert.True(Columns(l) <= 60, $"'{l}' is wider than 60 columns"));
        Assert.StartsWith("queue stats: queue-1", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("queue-", StringComparison.Ordinal));
    }
}
