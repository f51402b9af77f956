namespace Omnichannel.Routing.Cli.CommandLine;

/// <summary>A set of related commands (e.g. everything under <c>queues</c>) that registers itself in the catalog.</summary>
internal interface ICommandGroup
{
    /// <summary>Adds the group's commands to <paramref name="catalog"/>.</summary>
    void Register(CommandCatalog catalog);
}
