using Omnichannel.Routing.Abstractions;
using static Omnichannel.Routing.Grains.Tests.Collaborators.InteractionCollaboratorData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class QueuePlacesTests
{
    private readonly InteractionFlowFixture _f = new(Snapshot());

    [Fact]
    public async Task An_offer_from_one_queue_takes_it_out_of_every_other_it_waits_in()
    {
        _f.Record.AlsoQueues = ["backup", "night"];

        await _f.Places.LeaveOthersAsync(_f.Record.Current!, "backup");

        Assert.Single(_f.Queue("sales").CallsTo(nameof(IQueueGrain.Remove)));
        Assert.Single(_f.Queue("night").CallsTo(nameof(IQueueGrain.Remove)));
        Assert.False(_f.Asked("backup"));
        Assert.Empty(_f.Record.AlsoQueues);
    }

    [Fact]
    public async Task Leaving_all_starts_with_its_own_queue_and_forgets_the_others()
    {
        _f.Record.AlsoQueues = ["backup"];

        await _f.Places.LeaveAllAsync("sales");

        Assert.True(_f.Asked("sales") && _f.Asked("backup"));
        Assert.Empty(_f.Record.AlsoQueues);
    }

    [Fact]
    public async Task A_new_priority_reaches_every_queue_it_waits_in()
    {
        _f.Record.AlsoQueues = ["backup"];

        await _f.Places.ReprioritizeAsync(_f.Record.Current!, 9);

        Assert.Equal(["i-1", 9], _f.Queue("sales").CallsTo(nameof(IQueueGrain.Reprioritize)).Single());
        Assert.Equal(["i-1", 9], _f.Queue("backup").CallsTo(nameof(IQueueGrain.Reprioritize)).Single());
    }

    [Fact]
    public void It_waits_in_its_own_queue_and_its_also_queues_and_nowhere_else()
    {
        _f.Record.AlsoQueues = ["backup"];
        var current = _f.Record.Current!;

        Assert.True(_f.Places.WaitsIn(current, "sales"));
        Assert.True(_f.Places.WaitsIn(current, "backup"));
        Assert.False(_f.Places.WaitsIn(current, "night"));
    }
}
