namespace Omnichannel.Routing.Storage.Tests;

/// <summary>
/// Every test class of this project is in this collection, so the shared server outlives them all and is stopped once,
/// after the last; classes run one after another, which keeps two Orleans clusters from competing for the two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedPostgresServer : ICollectionFixture<SharedPostgresServerLifetime>
{
    public const string Name = "postgres";
}
