using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Grains.Queues;
using static Omnichannel.Routing.Grains.Tests.Collaborators.QueueTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class WaitingLineRestoreTests
{
    private readonly RecordingMessenger _messenger = new();
    private readonly List<QueueEntry> _admitted = [];

    private static QueueEntry Entry(string id, DateTimeOffset arrival) =>
        new(id, "c-1", "chat", 0, arrival, [], [], [], null, TimeSpan.Zero, Admitted: false, [], NewArrival: true);

    [Fact]
    public void Recorded_entries_are_admitted_in_arrival_order_with_their_arrival_times_without_calling_the_interactions()
    {
        var recorded = new[]
        {
            new RecordedWait("late", Entry("late", T0.AddMinutes(3))),
            new RecordedWait("first", Entry("first", T0)),
            new RecordedWait("middle", Entry("middle", T0.AddMinutes(1))),
        };

        var restored = WaitingLineRestore.Restore(recorded, _admitted.Add, _messenger);

        Assert.Equal(3, restored);
        Assert.Equal(["first", "middle", "late"], _admitted.Select(e => e.InteractionId));
        Assert.Equal([T0, T0.AddMinutes(1), T0.AddMinutes(3)], _admitted.Select(e => e.Arrival));
        Assert.Empty(_messenger.Rejoined);
    }

    [Fact]
    public void A_restored_entry_is_admitted_even_to_a_full_or_closed_queue_and_does_not_count_as_a_new_arrival()
    {
        WaitingLineRestore.Restore([new RecordedWait("i-1", Entry("i-1", T0))], _admitted.Add, _messenger);

        var entry = Assert.Single(_admitted);
        Assert.True(entry.Admitted);
        Assert.False(entry.NewArrival);
    }

    [Fact]
    public void An_interaction_recorded_without_an_entry_is_asked_to_rejoin_instead()
    {
        var restored = WaitingLineRestore.Restore([new RecordedWait("old", null), new RecordedWait("new", Entry("new", T0))], _admitted.Add, _messenger);

        Assert.Equal(1, restored);
        Assert.Equal(["new"], _admitted.Select(e => e.InteractionId));
        Assert.Equal(["old"], _messenger.Rejoined);
    }
}
