using Omnichannel.Routing.Cli.Output;
using static Omnichannel.Routing.Cli.Tests.Output.TerminalText;

namespace Omnichannel.Routing.Cli.Tests.Output;

public sealed class TableLayoutTests
{
    private static readonly TableLayout Layout = new([new("AGENT"), new("PRESENCE"), new("UNITS", AlignRight: true)]);

    [Fact]
    public void Columns_line_up_under_their_headings_and_numbers_align_right()
    {
        var lines = Lines(Layout.Build([["alice", "AVAILABLE", "30/100"], ["bob", "AWAY", "0/100"]]), 80);
        var heading = lines.Single(l => l.Contains("AGENT", StringComparison.Ordinal));
        var alice = lines.Single(l => l.Contains("alice", StringComparison.Ordinal));
        var bob = lines.Single(l => l.Contains("bob", StringComparison.Ordinal));

        Assert.Equal(ColumnOf(heading, "AGENT"), ColumnOf(alice, "alice"));
        Assert.Equal(ColumnOf(heading, "PRESENCE"), ColumnOf(bob, "AWAY"));
        var unitsEnd = ColumnOf(heading, "UNITS") + "UNITS".Length;
        Assert.Equal(unitsEnd, ColumnOf(alice, "30/100") + "30/100".Length);
        Assert.Equal(unitsEnd, ColumnOf(bob, "0/100") + "0/100".Length);
    }

    [Fact]
    public void Wide_characters_take_two_columns_so_the_next_column_still_lines_up()
    {
        var lines = Lines(Layout.Build([["王小明", "AVAILABLE", "1/3"], ["bob", "AWAY", "0/3"], ["ｆｕｌｌ", "OFFLINE", "0/3"]]), 80);
        var heading = lines.Single(l => l.Contains("AGENT", StringComparison.Ordinal));
        var presence = ColumnOf(heading, "PRESENCE");

        Assert.Equal(presence, ColumnOf(lines.Single(l => l.Contains("王小明", StringComparison.Ordinal)), "AVAILABLE"));
        Assert.Equal(presence, ColumnOf(lines.Single(l => l.Contains("bob", StringComparison.Ordinal)), "AWAY"));
        Assert.Equal(presence, ColumnOf(lines.Single(l => l.Contains("ｆｕｌｌ", StringComparison.Ordinal)), "OFFLINE"));

        // Every line of the table is equally wide on the terminal, the wide names included.
        Assert.Single(lines.Where(l => l.Trim().Length > 0).Select(Columns).Distinct());
    }

    [Fact]
    public void A_table_wider_than_the_terminal_is_narrowed_to_fit_and_long_ids_are_cut_with_an_ellipsis()
    {
        var id = "support-escalations-north-america-premium";
        var lines = Lines(Layout.Build([[id, "AVAILABLE", "30/100"]]), 30);

        Assert.All(lines, l => Assert.True(Columns(l) <= 30, $"'{l}' is wider than 30 columns"));
        Assert.Contains(lines, l => l.Contains('…', StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public void Cells_are_plain_text_never_markup()
    {
        var text = PlainText.Render(Layout.Build([["[red]alice[/]", "AWAY", "1"]]), 80);
        Assert.Contains("[red]alice[/]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_cells_are_blank()
    {
        var text = PlainText.Render(Layout.Build([["alice"]]), 80);
        Assert.Contains("alice", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_table_says_so_under_its_heading()
    {
        var lines = PlainText.Render(Layout.Build([], "(no agents)"), 80).Split(Environment.NewLine);
        Assert.Contains("AGENT", lines[0], StringComparison.Ordinal);
        Assert.Equal("(no agents)", lines[^1]);
    }

    [Fact]
    public void Plain_text_has_no_escape_codes_and_no_trailing_or_surrounding_blanks()
    {
        var text = PlainText.Render(Layout.Build([["alice", "AVAILABLE", "30/100"]]), ConsoleOutput.UnboundedWidth);
        Assert.DoesNotContain('\u001b', text);
        var lines = text.Split(Environment.NewLine);
        Assert.All(lines, l => Assert.Equal(l.TrimEnd(), l));
        Assert.NotEqual(string.Empty, lines[0]);
        Assert.NotEqual(string.Empty, lines[^1]);
        Assert.Contains(lines, l => l.Contains('─', StringComparison.Ordinal));
    }
}
