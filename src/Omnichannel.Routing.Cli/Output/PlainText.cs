using Spectre.Console;
using Spectre.Console.Rendering;

namespace Omnichannel.Routing.Cli.Output;

/// <summary>
/// Renders a Spectre.Console table or block as plain text — no colours, no escape codes, no trailing blanks — for
/// output that is printed once, or written to a file or a pipe.
/// </summary>
internal static class PlainText
{
    /// <summary>The text of <paramref name="view"/> laid out for <paramref name="width"/> terminal columns.</summary>
    public static string Render(IRenderable view, int width)
    {
        ArgumentNullException.ThrowIfNull(view);
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = Math.Max(width, 1);

        // Rules and ellipses are drawn with the same characters whatever the output encoding claims.
        console.Profile.Capabilities.Unicode = true;
        console.Write(view);

        var lines = writer.ToString().Split('\n').Select(line => line.TrimEnd()).ToList();
        var first = lines.FindIndex(line => line.Length > 0);
        var last = lines.FindLastIndex(line => line.Length > 0);
        return first < 0 ? string.Empty : string.Join(Environment.NewLine, lines.GetRange(first, last - first + 1));
    }
}
