using Google.Protobuf;

namespace Omnichannel.Routing.Cli.Output;

/// <summary>
/// Writes results: one human-readable line per item, or with <c>--json</c> one protobuf JSON message per line
/// (JSON lines) for scripts. Safe to call from concurrent tasks; lines never interleave.
/// </summary>
internal sealed class ConsoleOutput(bool json, TextWriter standardOutput, TextWriter standardError)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);
    private readonly Lock _gate = new();

    /// <summary>True when results are printed as protobuf JSON.</summary>
    public bool Json { get; } = json;

    /// <summary>Writes <paramref name="message"/> as JSON, or as the line <paramref name="text"/> makes of it.</summary>
    public void Item<T>(T message, Func<T, string> text)
        where T : IMessage
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteLine(standardOutput, Json ? Formatter.Format(message) : text(message));
    }

    /// <summary>Writes a human-only line (a heading or a summary); silent with <c>--json</c>.</summary>
    public void Note(string text)
    {
        if (!Json)
        {
            WriteLine(standardOutput, text);
        }
    }

    /// <summary>Writes <c>error: …</c> to standard error.</summary>
    public void Error(string text) => WriteLine(standardError, $"error: {text}");

    /// <summary>Writes raw text (usage) to standard output or standard error.</summary>
    public void Raw(string text, bool toError) => WriteLine(toError ? standardError : standardOutput, text);

    private void WriteLine(TextWriter writer, string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
