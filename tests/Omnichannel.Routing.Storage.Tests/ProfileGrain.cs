using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace Omnichannel.Routing.Storage.Tests;

/// <summary>A grain whose only job is to keep a value in the ADO.NET grain storage under test.</summary>
public interface IProfileGrain : IGrainWithStringKey
{
    Task SetValue(string value);

    Task<string?> GetValue();

    /// <summary>The silo this activation runs on, so tests can tell which silo read or wrote.</summary>
    Task<string> GetSilo();
}

[GenerateSerializer]
public sealed class ProfileState
{
    [Id(0)]
    public string? Value { get; set; }
}

/// <summary>
/// Placed at random, unless the activating call carries Orleans' placement hint: that is how a test puts it on the
/// silo of its choice (the silo it is about to stop).
/// </summary>
[RandomPlacement]
public sealed class ProfileGrain(
    [PersistentState(ProfileGrain.StateName, OrleansOnPostgresCluster.StorageName)] IPersistentState<ProfileState> profile)
    : Grain, IProfileGrain
{
    public const string StateName = "profile";

    public async Task SetValue(string value)
    {
        profile.State.Value = value;
        await profile.WriteStateAsync();
    }

    public Task<string?> GetValue() => Task.FromResult(profile.State.Value);

    public Task<string> GetSilo() => Task.FromResult(this.GetSiloAddress().ToString());

    private SiloAddress GetSiloAddress() => ServiceProvider.GetRequiredService<ILocalSiloDetails>().SiloAddress;
}
