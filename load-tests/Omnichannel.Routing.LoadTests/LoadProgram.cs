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
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await output.WriteLineAsync(LoadOptions.Usage).ConfigureAwait(false);
            return 0;
        }

        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await output.WriteLineAsync(e.Message).ConfigureAwait(false);
            await output.WriteLineAsync(LoadOptions.Usage).ConfigureAwait(false);
            return 2;
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
}
