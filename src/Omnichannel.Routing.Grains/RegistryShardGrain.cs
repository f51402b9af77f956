using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>The persisted state of a <see cref="RegistryShardGrain"/>.</summary>
[GenerateSerializer]
public sealed class RegistryShardRecord
{
    [Id(0)]
    public List<string> Ids { get; set; } = [];
}

/// <summary>One shard of the defined ids of a kind, kept sorted for paging.</summary>
public sealed class RegistryShardGrain : RoutingGrain, IRegistryShardGrain
{
    private readonly IPersistentState<RegistryShardRecord> _state;
    private SortedSet<string> _ids = new(StringComparer.Ordinal);

    public RegistryShardGrain([PersistentState("registry", RoutingOptions.StorageName)] IPersistentState<RegistryShardRecord> state)
    {
        _state = state;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ids = new SortedSet<string>(_state.State.Ids, StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    public async Task Add(string id)
    {
        if (_ids.Add(id))
        {
            _state.State.Ids = [.. _ids];
            await WriteDurablyAsync(_state);
        }
    }

    public Task<ImmutableArray<string>> ListAfter(string? after, int max)
    {
        IEnumerable<string> ids = _ids;
        if (!string.IsNullOrEmpty(after))
        {
            ids = _ids.Max is { } last && string.CompareOrdinal(last, after) > 0
                ? _ids.GetViewBetween(after, last).Where(i => string.CompareOrdinal(i, after) > 0)
                : [];
        }

        return Task.FromResult(ids.Take(max).ToImmutableArray());
    }
}
