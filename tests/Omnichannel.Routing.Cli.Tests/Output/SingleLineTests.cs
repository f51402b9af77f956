using Omnichannel.Routing.Cli.Output;
using static Omnichannel.Routing.Cli.Tests.Output.TerminalText;

namespace Omnichannel.Routing.Cli.Tests.Output;

public sealed class SingleLineTests
{
    [Fact]
    public void A_line_that_fits_is_shown_whole()
    {
        Assert.Equal(["queue stats · 2 queues"], Lines(new SingleLine("queue stats · 2 queues"), 40).Select(l => l.TrimEnd()));
    }

    [Theory]
    [InlineData("queue stats: support, sales, billing, retention, escalations", 20)]
    [InlineData("座席の稼働状況: 王小明, 李小龙, 山田太郎, 佐藤花子", 21)]
    [InlineData("座席の稼働状況: 王小明, 李小龙, 山田太郎, 佐藤花子", 20)]
    public void A_line_too_long_is_cut_with_an_ellipsis_within_the_terminal_width_counting_wide_characters_as_two(string text, int width)
    {
        var lines = Lines(new SingleLine(text), width);
        var line = Assert.Single(lines).TrimEnd();
        Assert.EndsWith("…", line, StringComparison.Ordinal);
        Assert.True(Columns(line) <= width, $"'{line}' takes {Columns(line)} columns, more than {width}");
        Assert.True(Columns(line) >= width - 1, $"'{line}' wastes room");
        Assert.StartsWith(line[..^1], text, StringComparison.Ordinal);
    }
}
