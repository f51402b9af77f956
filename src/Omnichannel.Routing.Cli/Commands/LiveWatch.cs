using Google.Protobuf;
using Grpc.Core;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Spectre.Console;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary>
/// Runs a watch: with <c>--json</c> each message is a JSON line; when standard output is not an ANSI terminal each
/// message is a text line; otherwise a Spectre.Console <see cref="LiveDisplay"/> of the <see cref="WatchBoard{T}"/>,
/// redrawn in place as messages arrive (at most every 100 ms, and every second so elapsed times tick, and at once when
/// the terminal is resized). Ends with exit code 0 on Ctrl+C or when the engine ends the stream; a call refused at once
/// surfaces as its <see cref="RpcException"/> before the screen is touched, a stream that fails later leaves its last
/// table (marked "stream failed") above the error.
/// </summary>
internal static class LiveWatch
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    // How long to wait for a first message (or the call's failure) before drawing an empty table.
    private static readonly TimeSpan FirstMessageWait = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync<T>(CommandContext context, AsyncServerStreamingCall<T> call, WatchView<T> view)
        where T : class, IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(view);
        var screen = AnsiConsole.Console;
        if (context.Output.Json || Console.IsOutputRedirected || !screen.Profile.Capabilities.Ansi)
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(context.Cancellation))
            {
                context.Output.Item(message, m => view.Line(m, DateTimeOffset.UtcNow));
            }

            context.Output.Note("stream ended by the engine");
            return 0;
        }

        var board = new WatchBoard<T>(view);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(
            async () =>
            {
                await foreach (var message in call.ResponseStream.ReadAllAsync(context.Cancellation))
                {
                    board.Record(message, DateTimeOffset.Now);
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
        await screen.Live(board.Frame(DateTimeOffset.UtcNow, "Ctrl+C to exit"))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .Cropping(VerticalOverflowCropping.Bottom)
            .StartAsync(live => DrawUntilEndAsync(live, board, reading, context.Cancellation));
        return 0;
    }

    private static async Task DrawUntilEndAsync<T>(LiveDisplayContext live, WatchBoard<T> board, Task reading, CancellationToken cancellation)
    {
        var lastDraw = DateTimeOffset.MinValue;
        var lastSize = (Width: 0, Height: 0);
        void Draw(string status)
        {
            lastDraw = DateTimeOffset.UtcNow;
            lastSize = TerminalSize();
            live.UpdateTarget(board.Frame(lastDraw, status));
            live.Refresh();
        }

        using var timer = new PeriodicTimer(Tick);
        while (!reading.IsCompleted)
        {
            if (board.TakeChange() || TerminalSize() != lastSize || DateTimeOffset.UtcNow - lastDraw >= Refresh)
            {
                Draw("Ctrl+C to exit");
            }

            try
            {
                await timer.WaitForNextTickAsync(cancellation);
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
        catch (Exception e) when (e is OperationCanceledException || (e is RpcException { StatusCode: StatusCode.Cancelled } && cancellation.IsCancellationRequested))
        {
            Draw("stopped");
            throw;
        }
        catch (RpcException)
        {
            Draw("stream failed");
            throw;
        }
    }

    private static (int Width, int Height) TerminalSize()
    {
        try
        {
            return (Console.WindowWidth, Console.WindowHeight);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }
}
