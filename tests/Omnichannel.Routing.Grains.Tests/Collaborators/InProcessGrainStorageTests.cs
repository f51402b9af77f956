using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Core;
using Orleans.Serialization;
using Orleans.Storage;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class InProcessGrainStorageTests : IDisposable
{
    private const string StateName = "agent";
    private static readonly GrainId Agent = GrainId.Create("agent", "ana");
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private readonly InProcessGrainStorage _storage;

    public InProcessGrainStorageTests()
    {
        _storage = new InProcessGrainStorage(_services.GetRequiredService<DeepCopier>(), finishedKept: 3);
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_reactivated_grain_reads_the_state_as_it_was_written_not_as_the_activation_changed_it_since()
    {
        var record = new AgentRecord { SignedIn = true, Work = [Item("i-1")] };
        var written = new GrainState<AgentRecord>(record);
        await _storage.WriteStateAsync(StateName, Agent, written);

        record.Work.Add(Item("i-2"));
        record.SignedIn = false;
        var read = new GrainState<AgentRecord>(new AgentRecord());
        await _storage.ReadStateAsync(StateName, Agent, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        var stored = Assert.IsType<AgentRecord>(read.State);
        Assert.True(stored.SignedIn);
        Assert.Equal(["i-1"], stored.Work.Select(w => w.InteractionId));
        Assert.NotSame(record, stored);
    }

    [Fact]
    public async Task A_state_never_written_reads_as_absent()
    {
        var read = new GrainState<AgentRecord>(new AgentRecord());

        await _storage.ReadStateAsync(StateName, Agent, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task A_write_over_a_version_that_is_no_longer_stored_is_refused_and_stores_nothing()
    {
        var first = new GrainState<AgentRecord>(new AgentRecord { SignedIn = true });
        await _storage.WriteStateAsync(StateName, Agent, first);
        var stale = new GrainState<AgentRecord>(new AgentRecord { Presence = Presence.Available }) { ETag = first.ETag };
        await _storage.WriteStateAsync(StateName, Agent, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Agent, stale));
        var fresh = new GrainState<AgentRecord>(new AgentRecord { Presence = Presence.Available });
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Agent, fresh));

        var read = new GrainState<AgentRecord>(new AgentRecord());
        await _storage.ReadStateAsync(StateName, Agent, read);
        Assert.Equal(first.ETag, read.ETag);
        Assert.Equal(Presence.Offline, Assert.IsType<AgentRecord>(read.State).Presence);
    }

    [Fact]
    public async Task A_cleared_state_reads_as_absent_and_a_writer_from_before_the_clear_is_refused()
    {
        var state = new GrainState<AgentRecord>(new AgentRecord { SignedIn = true });
        await _storage.WriteStateAsync(StateName, Agent, state);
        var before = new GrainState<AgentRecord>(new AgentRecord()) { ETag = state.ETag };

        await _storage.ClearStateAsync(StateName, Agent, state);

        var read = new GrainState<AgentRecord>(new AgentRecord());
        await _storage.ReadStateAsync(StateName, Agent, read);
        Assert.False(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Agent, before));
    }

    private static WorkItem Item(string interactionId) =>
        new(interactionId, "chat", "sales", WorkPhase.Connected, DateTimeOffset.UnixEpoch, Deadline: null);

    [Fact]
    public async Task Beyond_the_bound_the_oldest_ended_interactions_are_forgotten_and_unfinished_ones_never()
    {
        var waiting = GrainId.Create("interaction", "waiting");
        await _storage.WriteStateAsync("interaction", waiting, new GrainState<InteractionRecord>(new InteractionRecord { Current = AgentTestData.Interaction("waiting", InteractionState.Queued, null) }));
        var ended = Enumerable.Range(1, 5).Select(i => GrainId.Create("interaction", $"ended-{i}")).ToList();
        foreach (var id in ended)
        {
            var state = new GrainState<InteractionRecord>(new InteractionRecord { Current = AgentTestData.Interaction(id.Key.ToString()!, InteractionState.Completed, "ana") });
            await _storage.WriteStateAsync("interaction", id, state);

            // Written again once ended (a late note): still one place in the line.
            await _storage.WriteStateAsync("interaction", id, state);
        }

        Assert.False(await ExistsAsync(ended[0]));
        Assert.False(await ExistsAsync(ended[1]));
        Assert.True(await ExistsAsync(ended[2]));
        Assert.True(await ExistsAsync(ended[4]));
        Assert.True(await ExistsAsync(waiting));
        Assert.Equal(4, _storage.Count);
    }

    private async Task<bool> ExistsAsync(GrainId interaction)
    {
        var read = new GrainState<InteractionRecord>(new InteractionRecord());
        await _storage.ReadStateAsync("interaction", interaction, read);
        return read.RecordExists;
    }
}
