using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class AgentRecorderTests
{
    private readonly AgentRecord _record = SignedInAvailable("sales");
    private readonly AgentWorkload _workload = new(Config().Capacity.ToProfile());
    private readonly IRoutingEventLog _log = Substitute.For<IRoutingEventLog>();
    private readonly List<string> _steps = [];
    private Func<Task> _write;

    public AgentRecorderTests() => _write = () =>
    {
        _steps.Add($"write v{_record.Version} with {_record.UnloggedEvents.Count} event(s)");
        return Task.CompletedTask;
    };

    private AgentRecorder Recorder() => new(
        "a1",
        () => _record,
        () => _workload,
        () => _write(),
        new EventOutbox(_log, () => _record.UnloggedEvents, NullLogger.Instance, "Agent a1"),
        new FakeTimeProvider(T0),
        () => _steps.Add("stored"));

    [Fact]
    public async Task An_event_recorded_before_a_commit_is_written_with_the_state_and_then_logged()
    {
        var recorder = Recorder();

        recorder.RecordEvent(RoutingEventType.PresenceChanged, Actor.Agent("a1"), "presence=Away");
        await recorder.CommitAsync();

        Assert.Equal(["write v8 with 1 event(s)", "stored"], _steps);
        await _log.Received(1).AppendAsync(Arg.Is<IReadOnlyList<RoutingEvent>>(e => e.Count == 1 && e[0].Type == RoutingEventType.PresenceChanged && e[0].Sequence == 1), Arg.Any<CancellationToken>());
        Assert.Empty(_record.UnloggedEvents);
    }

    [Fact]
    public void Each_recorded_event_takes_the_next_agent_sequence()
    {
        var recorder = Recorder();

        recorder.RecordEvent(RoutingEventType.SignedIn, Actor.Agent("a1"), null);
        recorder.RecordEvent(RoutingEventType.SignedOut, Actor.Agent("a1"), null);

        Assert.Equal([1L, 2L], _record.UnloggedEvents.Select(e => e.Sequence));
        Assert.Equal(2, _record.EventSequence);
    }

    [Fact]
    public async Task A_commit_stores_the_held_work_under_a_new_version()
    {
        _workload.Reserve("i1", "chat", "sales", T0, TimeSpan.FromSeconds(20));

        await Recorder().CommitAsync();

        Assert.Equal(8, _record.Version);
        Assert.Equal(["i1"], _record.Work.Select(w => w.InteractionId));
        Assert.NotNull(_record.Occupancy);
        Assert.Null(_record.OccupancyJson);
    }

    [Fact]
    public async Task A_failed_write_logs_nothing_and_keeps_the_events_pending()
    {
        var recorder = Recorder();
        _write = () => throw new RoutingException(RoutingErrorCode.Unavailable, null, "storage is down");
        recorder.RecordEvent(RoutingEventType.NotResponding, Actor.Engine, null);

        await Assert.ThrowsAsync<RoutingException>(recorder.CommitAsync);

        await _log.DidNotReceiveWithAnyArgs().AppendAsync(default!, default);
        Assert.Single(_record.UnloggedEvents);
        Assert.DoesNotContain("stored", _steps);
    }

    [Fact]
    public void The_occupancy_is_restored_once_and_kept()
    {
        var recorder = Recorder();

        Assert.Same(recorder.Occupancy, recorder.Occupancy);
    }
}
