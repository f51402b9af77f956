using System.CommandLine;

namespace Omnichannel.Routing.LoadTests;

/// <summary>
/// The program's entry point, callable from a test: parses the command line, runs the scenario, prints the progress
/// and the Markdown report, writes the report files. Exit code 0 when the invariant audit passed, 1 when it failed,
/// 2 for a bad command line, 3 when the run could not be carried out.
/// </summary>
internal static class LoadProgram
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var commandLine = new LoadCommandLine();
        var parse = commandLine.Parse(args);

        // --help answers even a command line that is otherwise wrong.
        if (parse.Action is { ClearsParseErrors: true })
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output }, cancel).ConfigureAwait(false);
        }

        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await output.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            await output.WriteLineAsync().ConfigureAwait(false);
            await commandLine.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = output }, cancel).ConfigureAwait(false);
            return 2;
        }

        var options = commandLine.Bind(parse);
        if (options.Scenario == Scenario.Restart)
        {
            return await RestartAsync(options, "load-tests " + string.Join(' ', args), output, cancel).ConfigureAwait(false);
        }

        RunResult result;
        try
        {
            result = await new LoadRun(options, output, cancel).RunAsync("load-tests " + string.Join(' ', args)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or OperationCanceledException or Grpc.Core.RpcException)
        {
            await output.WriteLineAsync($"the run could not be carried out: {e}").ConfigureAwait(false);
            return 3;
        }

        var markdown = LoadReport.ToMarkdown(result);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(markdown).ConfigureAwait(false);
        if (options.ReportPath is { } report)
        {
            await File.WriteAllTextAsync(report, markdown, cancel).ConfigureAwait(false);
        }

        if (options.JsonPath is { } json)
        {
            await File.WriteAllTextAsync(json, LoadReport.ToJson(result), cancel).ConfigureAwait(false);
        }

        return result.Passed ? 0 : 1;
    }

    /// <summary>The restart scenario, which measures recovery rather than load, with a report of its own.</summary>
    private static async Task<int> RestartAsync(LoadOptions options, string commandLine, TextWriter output, CancellationToken cancel)
    {
        (string Report, bool Passed) result;
        try
        {
            result = await new RestartRun(options, output, cancel).RunAsync(commandLine).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or OperationCanceledException or Grpc.Core.RpcException)
        {
            await output.WriteLineAsync($"the run could not be carried out: {e}").ConfigureAwait(false);
            return 3;
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(result.Report).ConfigureAwait(false);
        if (options.ReportPath is { } report)
        {
            await File.WriteAllTextAsync(report, result.Report, cancel).ConfigureAwait(false);
        }

        return result.Passed ? 0 : 1;
    }
}
