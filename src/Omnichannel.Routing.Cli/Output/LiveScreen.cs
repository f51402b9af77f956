using System.Globalization;
using System.Text;

namespace Omnichannel.Routing.Cli.Output;

/// <summary>
/// Keeps one block of text (a <see cref="LiveTable"/> frame) on the terminal and redraws it in place with ANSI
/// escape codes: the cursor goes back up over the previous frame, each line is rewritten and cleared to its end, and
/// whatever is left below is cleared. Text above the block (the shell prompt, earlier output) is left alone, and the
/// last frame stays on screen after <see cref="Dispose"/>. The cursor is hidden while drawing.
/// </summary>
internal sealed class LiveScreen(TextWriter writer) : IDisposable
{
    private const string Escape = "\u001b[";
    private int _previousLines;
    private int _previousWidth = -1;
    private bool _started;

    /// <summary>
    /// True when standard output is a terminal that understands ANSI escape codes: not redirected, and not
    /// <c>TERM=dumb</c>. (No colours are used, so <c>NO_COLOR</c> changes nothing.)
    /// </summary>
    public static bool Supported =>
        !Console.IsOutputRedirected
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    /// <summary>The terminal's size, less one column (writing the last column makes some terminals wrap early).</summary>
    public static (int Width, int Height) Size
    {
        get
        {
            try
            {
                var width = Console.WindowWidth;
                var height = Console.WindowHeight;
                return (width > 1 ? width - 1 : 119, height > 1 ? height : 24);
            }
            catch (IOException)
            {
                return (119, 24);
            }
        }
    }

    /// <summary>
    /// Replaces the previous frame with <paramref name="frame"/> (lines separated by <c>\n</c>, each no wider than the
    /// terminal and no more lines than it is tall, so nothing wraps or scrolls). <paramref name="width"/> is the width
    /// it was rendered for: when it changed since the last frame, the terminal may have re-wrapped the old one, so
    /// the screen is cleared rather than overwritten.
    /// </summary>
    public void Draw(string frame, int width)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var text = new StringBuilder();
        if (!_started)
        {
            text.Append(Escape).Append("?25l"); // hide the cursor
            _started = true;
        }

        if (_previousLines > 0)
        {
            if (width != _previousWidth)
            {
                text.Append(Escape).Append("2J").Append(Escape).Append('H'); // clear the screen, cursor home
            }
            else
            {
                text.Append('\r').Append(Escape).Append(_previousLines.ToString(CultureInfo.InvariantCulture)).Append('A');
            }
        }

        var lines = frame.Split('\n');
        foreach (var line in lines)
        {
            text.Append(line).Append(Escape).Append('K').Append('\n'); // the line, then clear what an older, longer one left
        }

        text.Append(Escape).Append('J'); // clear below: an older frame may have had more lines
        writer.Write(text.ToString());
        writer.Flush();
        _previousLines = lines.Length;
        _previousWidth = width;
    }

    /// <summary>Shows the cursor again; it stands on the line below the last frame.</summary>
    public void Dispose()
    {
        if (_started)
        {
            writer.Write($"{Escape}?25h");
            writer.Flush();
        }
    }
}
