using Spectre.Console;
using Spectre.Console.Rendering;

namespace Omnichannel.Routing.Cli.Output;

/// <summary>One column of a <see cref="TableLayout"/>.</summary>
/// <param name="Header">The heading.</param>
/// <param name="AlignRight">Right-align the cells (numbers, durations, percentages).</param>
internal sealed record ColumnLayout(string Header, bool AlignRight = false);

/// <summary>
/// The columns of one kind of table (queue statistics, agent occupancy, rebalancing impact), making Spectre.Console
/// tables of rows of cells: a heading, a rule, one line per row. Spectre measures cells in terminal columns (a CJK
/// character takes two), and when the table is wider than the terminal it narrows columns, wrapping at spaces and
/// cutting long words with an ellipsis.
/// </summary>
internal sealed class TableLayout(IReadOnlyList<ColumnLayout> columns)
{
    // With the border's one-space column separator, two spaces between columns: an 11-column statistics table fits
    // a 120-column terminal.
    private static readonly Padding CellPadding = new(0, 0, 1, 0);

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<ColumnLayout> Columns { get; } = columns;

    /// <summary>
    /// A table of <paramref name="rows"/> (one cell per column; missing cells are blank). Cells are plain text, never
    /// markup. With no rows, <paramref name="emptyText"/> stands under the heading.
    /// </summary>
    public IRenderable Build(IEnumerable<IReadOnlyList<string>> rows, string? emptyText = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in Columns)
        {
            table.AddColumn(new TableColumn(new Text(column.Header))
            {
                Alignment = column.AlignRight ? Justify.Right : Justify.Left,
                Padding = CellPadding,
            });
        }

        var count = 0;
        foreach (var row in rows)
        {
            table.AddRow(Columns.Select((_, i) => Cell(i < row.Count ? row[i] : null)));
            count++;
        }

        return count == 0 && !string.IsNullOrEmpty(emptyText) ? new Rows(table, new Text(emptyText)) : table;
    }

    private static Text Cell(string? text) => new(text ?? string.Empty) { Overflow = Overflow.Ellipsis };
}
