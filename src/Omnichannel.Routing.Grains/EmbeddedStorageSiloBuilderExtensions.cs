using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Omnichannel.Routing.Grains;

/// <summary>The embedded default's grain storage, shared by the host and the grain tests so both store state alike.</summary>
public static class EmbeddedStorageSiloBuilderExtensions
{
    /// <summary>
    /// Grain state in this process (<see cref="InProcessGrainStorage"/>): a deep copy per write, no storage grain and
    /// no serialization. Orleans' memory storage, which it replaces, was a fifth of the host's CPU under load.
    /// </summary>
    public static ISiloBuilder AddEmbeddedRoutingStorage(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton<InProcessGrainStorage>();
        silo.Services.AddKeyedSingleton<IGrainStorage>(RoutingOptions.StorageName, (sp, _) => sp.GetRequiredService<InProcessGrainStorage>());
        return silo;
    }
}
