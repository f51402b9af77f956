using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Omnichannel.Routing.Cli.Output;

/// <summary>How a watched stream shows as a live table: one row per key, the _latest message of each key winning.</summary>
/// <param name="Title">What is watched, e.g. <c>queue stats: support, sales</c>.</param>
/// <param name="Noun">What a row is, plural, e.g. <c>queues</c>.</param>
/// <param name="Layout">The table's columns.</param>
/// <param name="Key">The row a message updates.</param>
/// <param name="Row">A message's cells at a given time.</param>
/// <param name="Line">A message as one line, when standard output is not a terminal.</param>
internal sealed record WatchView<T>(
    string Title,
    string Noun,
    TableLayout Layout,
    Func<T, string> Key,
    Func<T, DateTimeOffset, IReadOnlyList<string>> Row,
    Func<T, DateTimeOffset, string> Line);

/// <summary>
/// The _latest message of each key of a watched stream, and the frame that shows them: a title line (what is watched,
/// how many rows, when the last message came, the status) above the table, rows ordered by key. Messages are recorded
/// by the stream's reader while the screen draws, so both sides take a lock.
/// </summary>
internal sealed class WatchBoard<T>(WatchView<T> view)
{
    private readonly SortedDictionary<string, T> _latest = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastMessage;
    private int _changed = 1;

    /// <summary>Keeps <paramref name="message"/> as its key's _latest, received at <paramref name="at"/> (local time, for the title).</summary>
    public void Record(T message, DateTimeOffset at)
    {
        lock (_gate)
        {
            _latest[view.Key(message)] = message;
            _lastMessage = at;
        }

        Volatile.Write(ref _changed, 1);
    }

    /// <summary>True once after each change since the last call: the frame needs drawing again.</summary>
    public bool TakeChange() => Interlocked.Exchange(ref _changed, 0) == 1;

    /// <summary>The frame at <paramref name="now"/> (elapsed times count to it), with <paramref name="status"/> in the title.</summary>
    public IRenderable Frame(DateTimeOffset now, string status)
    {
        List<IReadOnlyList<string>> rows;
        string title;
        lock (_gate)
        {
            rows = [.. _latest.Values.Select(message => view.Row(message, now))];
            var updated = _lastMessage is { } at ? $"updated {at.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}" : "waiting for the engine";
            title = $"{view.Title} · {rows.Count} {view.Noun} · {updated} · {status}";
        }

        return new Rows(new SingleLine(title), view.Layout.Build(rows, $"(no {view.Noun} yet)"));
    }
}
