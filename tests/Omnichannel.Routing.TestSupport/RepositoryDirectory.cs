namespace Omnichannel.Routing.TestSupport;

/// <summary>The clone that tests and the load program run from: the first directory upwards holding the solution.</summary>
public static class RepositoryDirectory
{
    public const string SolutionFile = "Omnichannel.Routing.sln";

    /// <summary>Searches above the current directory, then above the running program.</summary>
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"{SolutionFile} not found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}: run from the clone");
    }
}
