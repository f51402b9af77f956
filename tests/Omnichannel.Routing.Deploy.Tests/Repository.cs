using System.Reflection;

namespace Omnichannel.Routing.Deploy.Tests;

/// <summary>Where the clone is, and which build configuration these tests were built in.</summary>
public static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Configuration { get; } = Metadata("Configuration");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
