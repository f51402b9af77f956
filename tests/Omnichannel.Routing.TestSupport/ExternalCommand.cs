using System.Diagnostics;
using System.Globalization;

namespace Omnichannel.Routing.TestSupport;

/// <summary>What a command printed.</summary>
/// <param name="Output">Its standard output.</param>
/// <param name="Errors">Its standard error.</param>
public sealed record CommandOutput(string Output, string Errors);

/// <summary>A command run to completion (a script, a build, pgbench): its output, or an exception carrying its errors.</summary>
public static class ExternalCommand
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="arguments"/>; throws when it exits with a non-zero code, and
    /// kills it (with its children) when it outlives <paramref name="timeout"/> or <paramref name="cancel"/>.
    /// </summary>
    public static async Task<CommandOutput> RunAsync(
        string file,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var commandLine = $"{file} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancel.ThrowIfCancellationRequested();
            throw new TimeoutException($"{commandLine} did not finish within {timeout}: {await errors.ConfigureAwait(false)}");
        }

        var result = new CommandOutput(await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"{commandLine} exited with {process.ExitCode}:\n{result.Output}{result.Errors}"));
        }

        return result;
    }
}
