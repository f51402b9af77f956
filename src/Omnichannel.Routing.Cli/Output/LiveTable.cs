using System.Globalization;
using System.Text;

namespace Omnichannel.Routing.Cli.Output;

/// <summary>One column of a <see cref="LiveTable"/>.</summary>
/// <param name="Header">The heading, also the column's narrowest width.</param>
/// <param name="AlignRight">Right-align the cells (numbers, durations, percentages).</param>
/// <param name="Shrinkable">
/// When the table is too wide, cells of this column are cut (ending in <c>…</c>) before any column is hidden; meant
/// for ids and free-form lists. Other columns keep their natural width.
/// </param>
/// <param name="MinWidth">Narrowest width a shrinkable column is cut to (at least its header's width).</param>
/// <param name="CutInMiddle">
/// Cut too-long cells in the middle (<c>supp…ations</c>) rather than at the end: for ids, which often share a prefix
/// (<c>support</c>, <c>support-escalations</c>) and would become indistinguishable.
/// </param>
internal sealed record LiveTableColumn(string Header, bool AlignRight = false, bool Shrinkable = false, int MinWidth = 8, bool CutInMiddle = false);

/// <summary>
/// Renders a table as plain text for a terminal of a given size: a title line, a heading, a rule and one line per
/// row. A pure function of its inputs (no console access, no clock, no escape codes), so it can be tested directly;
/// <see cref="LiveScreen"/> puts the result on the screen and redraws it in place.
/// </summary>
internal static class LiveTable
{
    private const string Gap = "  ";
    private const char Ellipsis = '…';

    /// <summary>
    /// The table as lines separated by <c>\n</c>, each at most <paramref name="width"/> characters, at most
    /// <paramref name="height"/> lines in all. When too wide, shrinkable columns are cut first, then columns are hidden
    /// from the right (the first column always stays) and a last line says how many; when too tall, the rows that do
    /// not fit are counted on a last line instead.
    /// </summary>
    /// <param name="title">First line (e.g. what is watched and when it last changed); null or empty for none.</param>
    /// <param name="columns">The columns, in order.</param>
    /// <param name="rows">The cells of each row, one per column (missing cells are blank).</param>
    /// <param name="width">Terminal width in characters; <see cref="int.MaxValue"/> for no limit.</param>
    /// <param name="height">Lines available; <see cref="int.MaxValue"/> for no limit.</param>
    /// <param name="emptyText">Shown under the heading when there are no rows.</param>
    public static string Render(
        string? title,
        IReadOnlyList<LiveTableColumn> columns,
        IReadOnlyList<IReadOnlyList<string>> rows,
        int width = int.MaxValue,
        int height = int.MaxValue,
        string? emptyText = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        width = Math.Max(width, 1);
        height = Math.Max(height, 1);
        if (columns.Count == 0)
        {
            return Clip(title ?? string.Empty, width);
        }

        var widths = NaturalWidths(columns, rows);
        var shown = Fit(columns, widths, width);
        var hidden = columns.Count - shown;

        var lines = new List<string>();
        if (!string.IsNullOrEmpty(title))
        {
            lines.Add(Clip(title, width));
        }

        lines.Add(Clip(Line(columns, widths, shown, i => columns[i].Header), width));
        lines.Add(Clip(new string('─', Enumerable.Range(0, shown).Sum(i => widths[i]) + (Gap.Length * (shown - 1))), width));

        // Lines left for rows, keeping one for "… N more rows" when they do not all fit, and one for the hidden columns.
        var notes = new List<string>();
        if (hidden > 0)
        {
            notes.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"({hidden} column{(hidden == 1 ? string.Empty : "s")} hidden, widen the terminal: {string.Join(", ", columns.Skip(shown).Select(c => c.Header.ToLowerInvariant()))})"));
        }

        if (rows.Count == 0)
        {
            if (!string.IsNullOrEmpty(emptyText))
            {
                lines.Add(Clip(emptyText, width));
            }
        }
        else
        {
            var room = height - lines.Count - notes.Count;
            var fitting = rows.Count <= room ? rows.Count : Math.Max(room - 1, 0);
            for (var r = 0; r < fitting; r++)
            {
                var row = rows[r];
                lines.Add(Clip(Line(columns, widths, shown, i => i < row.Count ? row[i] ?? string.Empty : string.Empty), width));
            }

            if (fitting < rows.Count)
            {
                var more = rows.Count - fitting;
                notes.Insert(0, string.Create(CultureInfo.InvariantCulture, $"… {more} more row{(more == 1 ? string.Empty : "s")} (enlarge the terminal)"));
            }
        }

        lines.AddRange(notes.Select(n => Clip(n, width)));
        if (lines.Count > height)
        {
            lines.RemoveRange(height, lines.Count - height);
        }

        return string.Join('\n', lines);
    }

    private static int[] NaturalWidths(IReadOnlyList<LiveTableColumn> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = columns.Select(c => c.Header.Length).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < Math.Min(row.Count, widths.Length); i++)
            {
                widths[i] = Math.Max(widths[i], row[i]?.Length ?? 0);
            }
        }

        return widths;
    }

    /// <summary>Cuts shrinkable columns, then hides columns from the right; answers how many columns are shown.</summary>
    private static int Fit(IReadOnlyList<LiveTableColumn> columns, int[] widths, int width)
    {
        int Total(int count) => widths.Take(count).Sum() + (Gap.Length * (count - 1));

        var shown = columns.Count;
        var excess = Total(shown) - width;
        while (excess > 0)
        {
            // The shrinkable column with the most room to give gives one character.
            var best = -1;
            var bestRoom = 0;
            for (var i = 0; i < shown; i++)
            {
                var room = widths[i] - Math.Max(columns[i].Header.Length, columns[i].MinWidth);
                if (columns[i].Shrinkable && room > bestRoom)
                {
                    (best, bestRoom) = (i, room);
                }
            }

            if (best < 0)
            {
                break;
            }

            widths[best]--;
            excess--;
        }

        while (shown > 1 && Total(shown) > width)
        {
            shown--;
        }

        return shown;
    }

    private static string Line(IReadOnlyList<LiveTableColumn> columns, int[] widths, int shown, Func<int, string> cell)
    {
        var line = new StringBuilder();
        for (var i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                line.Append(Gap);
            }

            var text = columns[i].CutInMiddle ? CutMiddle(cell(i), widths[i]) : Cut(cell(i), widths[i]);
            var last = i == shown - 1;
            if (columns[i].AlignRight)
            {
                line.Append(text.PadLeft(widths[i]));
            }
            else
            {
                line.Append(last ? text : text.PadRight(widths[i]));
            }
        }

        return line.ToString();
    }

    private static string Cut(string text, int width) =>
        text.Length <= width ? text : width <= 1 ? text[..width] : string.Concat(text.AsSpan(0, width - 1), Ellipsis.ToString());

    private static string CutMiddle(string text, int width)
    {
        if (text.Length <= width || width <= 2)
        {
            return Cut(text, width);
        }

        var head = (width - 1) / 2;
        var tail = width - 1 - head;
        return string.Concat(text.AsSpan(0, head), Ellipsis.ToString(), text.AsSpan(text.Length - tail));
    }

    private static string Clip(string line, int width) => Cut(line.TrimEnd(), width);
}
