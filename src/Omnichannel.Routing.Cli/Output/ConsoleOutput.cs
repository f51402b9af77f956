using Google.Protobuf;
using Spectre.Console.Rendering;

namespace Omnichannel.Routing.Cli.Output;

/// <summary>
/// Writes results: one human-readable line per item, or with <c>--json</c> one protobuf JSON message per line
/// (JSON lines) for scripts. Tables are laid out for <paramref name="width"/> columns. Safe to call from concurrent
/// tasks; lines never interleave.
/// </summary>
internal sealed class ConsoleOutput(bool json, TextWriter standardOutput, TextWriter standardError, int width)
{
    /// <summary>Width of tables written to a file or a pipe: as wide as they need.</summary>
    public const int UnboundedWidth = 4096;

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);
    private readonly Lock _gate = new();

    /// <summary>True when results are printed as protobuf JSON.</summary>
    public bool Json { get; } = json;

    /// <summary>Columns available to a table: the terminal's width, or <see cref="UnboundedWidth"/> when output is redirected.</summary>
    public int Width { get; } = width;

    /// <summary>Output to the process's standard output and error, as wide as the terminal.</summary>
    public static ConsoleOutput ForConsole(bool json) => new(json, Console.Out, Console.Error, TerminalWidth());

    /// <summary>Writes <paramref name="message"/> as JSON, or as the line <paramref name="text"/> makes of it.</summary>
    public void Item<T>(T message, Func<T, string> text)
        where T : IMessage
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteLine(standardOutput, Json ? Formatter.Format(message) : text(message));
    }

    /// <summary>Writes <paramref name="message"/> as JSON, or as the text of what <paramref name="view"/> makes of it (e.g. a table).</summary>
    public void Item<T>(T message, Func<T, IRenderable> view)
        where T : IMessage
    {
        ArgumentNullException.ThrowIfNull(view);
        Item(message, m => PlainText.Render(view(m), Width));
    }

    /// <summary>Writes a human-only line (a heading or a summary); silent with <c>--json</c>.</summary>
    public void Note(string text)
    {
        if (!Json)
        {
            WriteLine(standardOutput, text);
        }
    }

    /// <summary>Writes a human-only table or block as plain text; silent with <c>--json</c>.</summary>
    public void Note(IRenderable view) => Note(PlainText.Render(view, Width));

    /// <summary>Writes <c>error: …</c> to standard error.</summary>
    public void Error(string text) => WriteLine(standardError, $"error: {text}");

    private static int TerminalWidth()
    {
        if (Console.IsOutputRedirected)
        {
            return UnboundedWidth;
        }

        try
        {
            return Console.WindowWidth > 1 ? Console.WindowWidth : UnboundedWidth;
        }
        catch (IOException)
        {
            return UnboundedWidth;
        }
    }

    private void WriteLine(TextWriter writer, string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
