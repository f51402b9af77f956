namespace Omnichannel.Routing.Core.Tests;

public class CoreDependencyTests
{
    [Fact]
    public void The_core_references_neither_Orleans_nor_grpc_nor_storage()
    {
        var names = typeof(InteractionSelection).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains(names, name => name.StartsWith("System", StringComparison.Ordinal));
        Assert.DoesNotContain(names, name =>
            name.StartsWith("Orleans", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
            || name.StartsWith("Grpc", StringComparison.Ordinal)
            || name.StartsWith("Npgsql", StringComparison.Ordinal));
    }
}
