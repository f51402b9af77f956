using Microsoft.Extensions.Logging.Abstractions;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Interactions;
using static Omnichannel.Routing.Grains.Tests.Collaborators.InteractionCollaboratorData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class OverflowMoveTests
{
    private readonly InteractionFlowFixture _f = new(Snapshot());

    private OverflowMove Move() => new("i-1", _f.QueueGrain, _f.Recorder, _f.Admission, NullLogger.Instance);

    [Fact]
    public async Task Overflow_instead_moves_the_wait_to_the_target_queue()
    {
        await Move().OverflowAsync("sales", "backup", OverflowMode.Instead);

        Assert.Equal("backup", _f.Record.Current!.QueueId);
        Assert.Equal(["sales"], _f.Record.OverflowedFrom.ToArray());
        Assert.Equal(RoutingEventType.Overflowed, _f.Record.Current.History[^1].Type);
    }

    [Fact]
    public async Task Overflow_also_keeps_the_wait_and_adds_the_target()
    {
        await Move().OverflowAsync("sales", "backup", OverflowMode.Also);

        Assert.Equal("sales", _f.Record.Current!.QueueId);
        Assert.Equal(["backup"], _f.Record.AlsoQueues.ToArray());
    }

    [Fact]
    public async Task A_refused_overflow_instead_goes_back_to_the_source_queue_and_records_no_event()
    {
        _f.Queue("backup").Answers[nameof(IQueueGrain.Enqueue)] = _ => Task.FromResult(new EnqueueResult(EnqueueOutcome.Full, 0, null, null, "full"));

        await Move().OverflowAsync("sales", "backup", OverflowMode.Instead);

        Assert.Single(_f.Queue("sales").CallsTo(nameof(IQueueGrain.Enqueue)));
        Assert.Equal("sales", _f.Record.Current!.QueueId);
        Assert.Empty(_f.Record.Current.History);
    }

    [Fact]
    public async Task An_overflow_back_to_a_queue_it_already_left_is_not_tried()
    {
        _f.Record.OverflowedFrom = ["backup"];

        await Move().OverflowAsync("sales", "backup", OverflowMode.Also);

        Assert.False(_f.Asked("backup"));
        Assert.Empty(_f.Record.AlsoQueues);
    }

    [Fact]
    public async Task A_note_about_a_queue_it_no_longer_waits_in_changes_nothing()
    {
        await Move().OverflowAsync("night", "backup", OverflowMode.Instead);

        Assert.False(_f.Asked("backup"));
        Assert.Equal("sales", _f.Record.Current!.QueueId);
    }
}
