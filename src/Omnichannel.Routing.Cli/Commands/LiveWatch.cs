using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary>How a watched stream shows as a live table: one row per key, the latest message of each key winning.</summary>
/// <param name="Title">What is watched, e.g. <c>queue statistics: support, sales</c>.</param>
/// <param name="Noun">What a row is, plural, e.g. <c>queues</c>.</param>
/// <param name="Columns">The table's columns.</param>
/// <param name="Key">The row a message updates.</param>
/// <param name="Row">A message's cells at a given time.</param>
/// <param name="Line">A message as one line, when standard output is not a terminal.</param>
internal sealed record LiveWatchView<T>(
    string Title,
    string Noun,
    IReadOnlyList<LiveTableColumn> Columns,
    Func<T, string> Key,
    Func<T, DateTimeOffset, IReadOnlyList<string>> Row,
    Func<T, DateTimeOffset, string> Line);

/// <summary>
/// Runs a watch: with <c>--json</c> each message is a JSON line; when standard output is not a terminal each message is
/// a text line; otherwise a <see cref="LiveTable"/> redrawn in place as messages arrive (at most every 100 ms, and every
/// second so elapsed times tick, and at once when the terminal is resized). Ends with exit code 0 on Ctrl+C or when the
/// engine ends the stream; a call refused at once surfaces as its <see cref="RpcException"/> before the screen is touched,
/// a stream that fails later leaves its last table (marked "stream failed") above the error.
/// </summary>
internal static class LiveWatch
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    // How long to wait for a first message (or the call's failure) before drawing an empty table.
    private static readonly TimeSpan FirstMessageWait = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync<T>(CommandContext context, AsyncServerStreamingCall<T> call, LiveWatchView<T> view)
        where T : class, IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(view);
        if (context.Output.Json || !LiveScreen.Supported)
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(context.Cancellation))
            {
                context.Output.Item(message, m => view.Line(m, DateTimeOffset.UtcNow));
            }

            context.Output.Note("stream ended by the engine");
            return 0;
        }

        var latest = new Dictionary<string, T>(StringComparer.Ordinal);
        var gate = new Lock();
        DateTimeOffset? lastMessage = null;
        var changed = 1;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(
            async () =>
            {
                await foreach (var message in call.ResponseStream.ReadAllAsync(context.Cancellation))
                {
                    lock (gate)
                    {
                        latest[view.Key(message)] = message;
                        lastMessage = DateTimeOffset.Now;
                    }

                    Volatile.Write(ref changed, 1);
                    first.TrySetResult();
                }
            },
            CancellationToken.None);

        // A refused call (UNIMPLEMENTED, NOT_FOUND, UNAVAILABLE) ends the stream before any message: report it as a
        // plain error, with the screen untouched. A stream that matches nothing yet may send nothing (not even
        // headers), so do not wait long for a first message before drawing.
        await Task.WhenAny(first.Task, reading, Task.Delay(FirstMessageWait, context.Cancellation));
        if (reading.IsCompleted && !reading.IsCompletedSuccessfully)
        {
            await reading;
        }

        context.Cancellation.ThrowIfCancellationRequested();
        using var screen = new LiveScreen(Console.Out);
        var lastDraw = DateTimeOffset.MinValue;
        var lastSize = (Width: 0, Height: 0);
        void Draw(string status)
        {
            var size = LiveScreen.Size;
            var now = DateTimeOffset.UtcNow;
            List<IReadOnlyList<string>> rows;
            string title;
            lock (gate)
            {
                rows = [.. latest.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => view.Row(e.Value, now))];
                var updated = lastMessage is { } at ? $"updated {at.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}" : "waiting for the engine";
                title = $"{view.Title} · {rows.Count} {view.Noun} · {updated} · {status}";
            }

            var frame = LiveTable.Render(title, view.Columns, rows, size.Width, size.Height - 1, $"(no {view.Noun} yet)");
            screen.Draw(frame, size.Width);
            lastDraw = now;
            lastSize = size;
        }

        using var timer = new PeriodicTimer(Tick);
        while (!reading.IsCompleted)
        {
            if (Interlocked.Exchange(ref changed, 0) == 1 || LiveScreen.Size != lastSize || DateTimeOffset.UtcNow - lastDraw >= Refresh)
            {
                Draw("Ctrl+C to exit");
            }

            try
            {
                await timer.WaitForNextTickAsync(context.Cancellation);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Ctrl+C ends the read at once (the call shares the token); draw the final state without the hint.
        try
        {
            await reading;
            Draw("stream ended by the engine");
        }
        catch (Exception e) when (e is OperationCanceledException || (e is RpcException { StatusCode: StatusCode.Cancelled } && context.Cancellation.IsCancellationRequested))
        {
            Draw("stopped");
            throw;
        }
        catch (RpcException)
        {
            Draw("stream failed");
            throw;
        }

        return 0;
    }
}
