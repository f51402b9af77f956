namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>
/// Positional arguments after a command's fixed ones, all of one kind: <c>[&lt;queue&gt;...]</c> (any number),
/// <c>&lt;queue&gt;...</c> (at least one) or <c>[&lt;agent&gt;]</c> (at most one).
/// </summary>
/// <param name="Name">How the usage text names one of them.</param>
/// <param name="Minimum">How many must be given.</param>
/// <param name="Maximum">How many may be given.</param>
internal sealed record RestArguments(string Name, int Minimum = 0, int Maximum = int.MaxValue)
{
    /// <summary>The synopsis part: <c>[&lt;queue&gt;...]</c>, <c>&lt;queue&gt;...</c> or <c>[&lt;agent&gt;]</c>.</summary>
    public string Synopsis => (Minimum, Maximum) switch
    {
        (0, 1) => $"[<{Name}>]",
        (0, _) => $"[<{Name}>...]",
        _ => $"<{Name}>...",
    };
}
