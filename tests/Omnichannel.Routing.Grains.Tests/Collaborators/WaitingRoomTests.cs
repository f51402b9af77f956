using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Queues;
using static Omnichannel.Routing.Grains.Tests.Collaborators.QueueTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class WaitingRoomTests
{
    private readonly WaitingRoom _room = new();

    [Fact]
    public void An_added_interaction_waits_with_the_entry_it_arrived_with()
    {
        var entry = Entry("i1");

        _room.Add(Waiting(entry), entry);

        Assert.True(_room.Contains("i1"));
        Assert.Equal(1, _room.Count);
        Assert.Same(entry, _room.EntryOf("i1"));
    }

    [Fact]
    public void A_new_priority_changes_both_the_waiting_interaction_and_its_entry()
    {
        var entry = Entry("i1", priority: 1);
        _room.Add(Waiting(entry), entry);

        var updated = _room.Reprioritize("i1", 9);

        Assert.Equal(9, updated!.BasePriority);
        Assert.True(_room.TryGet("i1", out var waiting));
        Assert.Equal(9, waiting.BasePriority);
        Assert.Equal(9, _room.EntryOf("i1").BasePriority);
        Assert.Null(_room.Reprioritize("unknown", 9));
    }

    [Fact]
    public void Removing_returns_the_entry_and_forgets_the_interaction()
    {
        var entry = Entry("i1");
        _room.Add(Waiting(entry), entry);

        Assert.Same(entry, _room.Remove("i1"));

        Assert.False(_room.Contains("i1"));
        Assert.Null(_room.Remove("i1"));
    }

    [Fact]
    public void A_new_aging_rate_keeps_every_waiting_interaction_in_order()
    {
        var older = Entry("older", arrival: T0);
        var newer = Entry("newer", arrival: T0.AddSeconds(10));
        _room.Add(Waiting(older), older);
        _room.Add(Waiting(newer), newer);

        _room.UseAgingRate(EffectivePriority.DefaultAgingRate * 2);

        Assert.Equal(EffectivePriority.DefaultAgingRate * 2, _room.List.AgingRate);
        Assert.Equal(["older", "newer"], _room.List.OldestFirst.Select(w => w.InteractionId));
    }

    [Fact]
    public void Sequence_numbers_grow_with_each_arrival()
    {
        Assert.True(_room.NextSequence() < _room.NextSequence());
    }

    [Fact]
    public void Two_shards_of_one_queue_never_give_the_same_sequence_number()
    {
        var other = new WaitingRoom();
        other.UseShard(5);

        var mine = Enumerable.Range(0, 50).Select(_ => _room.NextSequence()).ToList();
        var theirs = Enumerable.Range(0, 50).Select(_ => other.NextSequence()).ToList();

        Assert.Empty(mine.Intersect(theirs));
        Assert.Equal(theirs.Order(), theirs);
    }

    private WaitingInteraction Waiting(Abstractions.QueueEntry entry) =>
        new(entry.InteractionId, entry.Channel, entry.BasePriority, entry.Arrival, _room.NextSequence(), entry.ToDemand(), entry.ToDemand(), 0, new HashSet<string>());
}
