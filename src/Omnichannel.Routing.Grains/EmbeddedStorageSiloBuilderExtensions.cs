using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Omnichannel.Routing.Grains;

/// <summary>The embedded default's grain storage, shared by the host and the grain tests so both store state alike.</summary>
public static class EmbeddedStorageSiloBuilderExtensions
{
    /// <summary>
    /// In-memory grain state in Orleans' binary format. Not the provider's default JSON: it cannot rebuild the
    /// immutable collections the grains keep, and it was an eighth of the host's CPU under load.
    /// </summary>
    public static ISiloBuilder AddEmbeddedRoutingStorage(this ISiloBuilder silo) =>
        silo.AddMemoryGrainStorage(RoutingOptions.StorageName, (OptionsBuilder<MemoryGrainStorageOptions> options) =>
            options.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
}
