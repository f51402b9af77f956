using Spectre.Console.Rendering;
using Spectre.Console.Testing;

namespace Omnichannel.Routing.Cli.Tests.Output;

/// <summary>Renders through Spectre.Console's <see cref="TestConsole"/> and measures what a terminal would show.</summary>
internal static class TerminalText
{
    /// <summary>The lines a terminal <paramref name="width"/> columns wide shows for <paramref name="view"/>, trailing blanks kept.</summary>
    public static IReadOnlyList<string> Lines(IRenderable view, int width)
    {
        using var console = new TestConsole().Width(width).SupportsUnicode(true);
        console.Write(view);
        return console.Lines;
    }

    /// <summary>Terminal columns <paramref name="text"/> takes: two for a CJK ideograph or a fullwidth form, one for anything else here.</summary>
    public static int Columns(string text) => text.Sum(c => IsWide(c) ? 2 : 1);

    /// <summary>The terminal column at which <paramref name="part"/> starts in <paramref name="line"/>.</summary>
    public static int ColumnOf(string line, string part)
    {
        var at = line.IndexOf(part, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{part}' not in '{line}'");
        return Columns(line[..at]);
    }

    private static bool IsWide(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3040' and <= '\u30FF') or (>= '\uFF01' and <= '\uFF60');
}
