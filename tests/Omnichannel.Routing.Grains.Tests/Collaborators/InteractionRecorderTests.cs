using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Interactions;
using Orleans.Utilities;
using static Omnichannel.Routing.Grains.Tests.Collaborators.InteractionCollaboratorData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class InteractionRecorderTests
{
    private readonly InteractionRecord _record = new() { Current = Snapshot() };
    private readonly GrainFake<IRoutingEventLog> _log = GrainFake.Of<IRoutingEventLog>();
    private readonly ObserverManager<IInteractionObserver> _watchers = new(TimeSpan.FromMinutes(5), NullLogger.Instance);
    private readonly GrainFake<IInteractionObserver> _watcher = GrainFake.Of<IInteractionObserver>();
    private readonly List<string> _steps = [];
    private bool _writeFails;
    private bool? _logged;

    public InteractionRecorderTests()
    {
        _log.Answers[nameof(IRoutingEventLog.AppendAsync)] = _ =>
        {
            _steps.Add("append");
            return ValueTask.CompletedTask;
        };
        _watcher.Answers[nameof(IInteractionObserver.OnChanged)] = _ =>
        {
            _steps.Add("watcher");
            return Task.CompletedTask;
        };
        _watchers.Subscribe(_watcher.Grain, _watcher.Grain);
    }

    private InteractionRecorder Recorder(int historyLimit = 10) =>
        new(() => _record, WriteAsync, new EventOutbox(_log.Grain, () => _record.UnloggedEvents, NullLogger.Instance, "Interaction i-1"), _watchers, new FakeTimeProvider(At), historyLimit, logged => _logged = logged);

    private Task WriteAsync()
    {
        _steps.Add("write");
        return _writeFails ? throw new RoutingException(RoutingErrorCode.Unavailable, null, "storage is down") : Task.CompletedTask;
    }

    private static InteractionChange Change(RoutingEventType type) => new(type, InteractionState.Queued, InteractionState.Queued, "sales", null, null);

    [Fact]
    public void Each_change_gets_the_next_sequence_and_goes_into_the_history_and_the_outbox()
    {
        var recorder = Recorder();

        var first = recorder.Append(Change(RoutingEventType.Routed), Actor.Engine);
        var second = recorder.Append(Change(RoutingEventType.Relaxed), Actor.Engine);

        Assert.Equal([1L, 2L], new[] { first.Sequence, second.Sequence });
        Assert.Equal([first, second], _record.Current!.History.ToArray());
        Assert.Equal([1L, 2L], _record.UnloggedEvents.Select(e => e.Sequence));
    }

    [Fact]
    public void Each_logged_event_carries_the_interaction_s_channel_and_current_base_priority()
    {
        var recorder = Recorder();
        _record.Current = _record.Current! with { BasePriority = 7 };

        recorder.Append(Change(RoutingEventType.Routed), Actor.Engine);
        _record.Current = _record.Current with { BasePriority = 9 };
        recorder.Append(Change(RoutingEventType.PriorityChanged), Actor.Engine);

        Assert.Equal([7, 9], _record.UnloggedEvents.Select(e => e.Priority));
        Assert.All(_record.UnloggedEvents, e => Assert.Equal(_record.Current.Channel, e.Channel));
    }

    [Fact]
    public void A_trimmed_history_still_leaves_every_unlogged_event_in_the_outbox()
    {
        var recorder = Recorder(historyLimit: 2);

        for (var i = 0; i < 3; i++)
        {
            recorder.Append(Change(RoutingEventType.Relaxed), Actor.Engine);
        }

        Assert.Equal([2L, 3L], _record.Current!.History.Select(e => e.Sequence));
        Assert.Equal(3, _record.UnloggedEvents.Count);
    }

    [Fact]
    public async Task Storing_writes_the_state_before_the_log_and_the_watchers_hear_last()
    {
        var recorder = Recorder();
        var e = recorder.Append(Change(RoutingEventType.Routed), Actor.Engine);

        await recorder.StoreAsync([e]);

        Assert.True(_logged);
        Assert.Equal(["write", "append", "watcher"], _steps);
        Assert.Empty(_record.UnloggedEvents);
        var heard = _watcher.CallsTo(nameof(IInteractionObserver.OnChanged)).Single();
        Assert.Empty(((InteractionSnapshot)heard[0]!).History);
        Assert.Equal(e, heard[1]);
    }

    [Fact]
    public void A_refused_decision_throws_the_reason_and_leaves_the_stored_interaction_alone()
    {
        var before = _record.Current;

        var refused = Assert.Throws<RoutingException>(() => Recorder().Decide(i => i.Connect("ana", At)));

        Assert.Equal(RoutingErrorCode.FailedPrecondition, refused.Code);
        Assert.Equal("interaction_id", refused.Field);
        Assert.Same(before, _record.Current);
    }

    [Fact]
    public async Task Applying_a_decision_stores_the_new_status_with_its_events()
    {
        var recorder = Recorder();
        var (interaction, decision) = recorder.Decide(i => i.SetPriority(9));

        await recorder.ApplyAsync(interaction, decision, new Actor(ActorKind.Supervisor, "sam"));

        Assert.Equal(9, _record.Current!.BasePriority);
        var e = Assert.Single(_record.Current.History);
        Assert.Equal((RoutingEventType.PriorityChanged, ActorKind.Supervisor), (e.Type, e.Actor.Kind));
        Assert.Equal(["write", "append", "watcher"], _steps);
    }

    [Fact]
    public async Task A_failed_state_write_reaches_neither_the_log_nor_the_watchers()
    {
        var recorder = Recorder();
        var e = recorder.Append(Change(RoutingEventType.Routed), Actor.Engine);
        _writeFails = true;

        await Assert.ThrowsAsync<RoutingException>(() => recorder.StoreAsync([e]));

        Assert.Equal(["write"], _steps);
        Assert.Null(_logged);
    }

    [Fact]
    public async Task A_failed_append_is_reported_and_the_events_stay_pending()
    {
        var recorder = Recorder();
        var e = recorder.Append(Change(RoutingEventType.Routed), Actor.Engine);
        _log.Answers[nameof(IRoutingEventLog.AppendAsync)] = _ => throw new InvalidOperationException("the database is down");

        await recorder.StoreAsync([e]);

        Assert.False(_logged);
        Assert.Single(_record.UnloggedEvents);
    }

    [Fact]
    public async Task The_latest_event_of_a_store_records_where_the_interaction_waits_for_the_logs_index_of_latest_states()
    {
        var appended = new List<RoutingEvent>();
        _log.Answers[nameof(IRoutingEventLog.AppendAsync)] = args =>
        {
            appended.AddRange((IReadOnlyList<RoutingEvent>)args[0]!);
            return ValueTask.CompletedTask;
        };
        _record.AlsoQueues = ["backup"];
        _record.PreferredAgentWait = TimeSpan.FromSeconds(20);
        var recorder = Recorder();
        recorder.Append(Change(RoutingEventType.Routed), Actor.Engine);
        recorder.Append(Change(RoutingEventType.Relaxed), Actor.Engine);

        await recorder.StoreAsync([]);

        Assert.Null(appended[0].Waiting);
        var place = appended[1].Waiting!;
        Assert.Equal(["backup"], place.AlsoQueues.ToArray());
        Assert.Equal(("i-1", At, 5, "pat"), (place.Entry.InteractionId, place.Entry.Arrival, place.Entry.BasePriority, place.Entry.PreferredAgentId));
        Assert.Equal(TimeSpan.FromSeconds(20), place.Entry.PreferredAgentWait);
        Assert.Equal(["bob"], place.Entry.ExcludedAgents.ToArray());
        Assert.True(place.Entry.Admitted);
    }

    [Fact]
    public async Task The_latest_event_of_a_store_that_leaves_the_interaction_waiting_nowhere_records_no_place()
    {
        var appended = new List<RoutingEvent>();
        _log.Answers[nameof(IRoutingEventLog.AppendAsync)] = args =>
        {
            appended.AddRange((IReadOnlyList<RoutingEvent>)args[0]!);
            return ValueTask.CompletedTask;
        };
        _record.Current = Snapshot(InteractionState.Offered, agentId: "ana");
        var recorder = Recorder();
        recorder.Append(new InteractionChange(RoutingEventType.Offered, InteractionState.Queued, InteractionState.Offered, "sales", "ana", null), Actor.Engine);

        await recorder.StoreAsync([]);

        Assert.Null(Assert.Single(appended).Waiting);
    }
}
