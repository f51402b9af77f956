using Spectre.Console;
using Spectre.Console.Rendering;

namespace Omnichannel.Routing.Cli.Output;

/// <summary>
/// One line of plain text, cut with an ellipsis at the width it is given instead of wrapped: a live frame's title
/// must stay one line, or the table below it would be pushed down and cut. Spectre's <see cref="Text"/> only cuts
/// words too long for a line; it wraps at spaces.
/// </summary>
internal sealed class SingleLine(string text) : Renderable
{
    private const string Ellipsis = "…";

    protected override Measurement Measure(RenderOptions options, int maxWidth)
    {
        var width = Math.Min(new Segment(text).CellCount(), maxWidth);
        return new Measurement(width, width);
    }

    protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        yield return new Segment(Fit(text, maxWidth));
        yield return Segment.LineBreak;
    }

    /// <summary><paramref name="line"/> as it fits in <paramref name="width"/> terminal columns (wide characters take two).</summary>
    private static string Fit(string line, int width)
    {
        if (new Segment(line).CellCount() <= width)
        {
            return line;
        }

        var kept = 0;
        var used = new Segment(Ellipsis).CellCount();
        foreach (var c in line)
        {
            var cell = new Segment(c.ToString()).CellCount();
            if (used + cell > width)
            {
                break;
            }

            used += cell;
            kept++;
        }

        return string.Concat(line.AsSpan(0, kept), Ellipsis);
    }
}
