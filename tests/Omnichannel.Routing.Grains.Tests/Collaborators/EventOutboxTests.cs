using Microsoft.Extensions.Logging.Abstractions;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class EventOutboxTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeEventLog _log = new();
    private List<RoutingEvent> _stored = [];

    private EventOutbox Outbox() => new(_log, () => _stored, NullLogger.Instance, "Agent ana");

    private static RoutingEvent Event(long sequence) =>
        RoutingEvent.ForAgent(At.AddSeconds(sequence), "ana", sequence, RoutingEventType.PresenceChanged, Actor.Engine, null);

    [Fact]
    public void An_added_event_waits_in_the_state_record_until_it_is_flushed()
    {
        var outbox = Outbox();

        outbox.Add(Event(1));

        Assert.Equal([Event(1)], _stored);
        Assert.True(outbox.Holds(1));
        Assert.Empty(_log.Appended);
    }

    [Fact]
    public async Task A_flush_appends_every_pending_event_in_order_and_empties_the_outbox()
    {
        var outbox = Outbox();
        outbox.Add(Event(1));
        outbox.Add(Event(2));

        Assert.True(await outbox.FlushAsync());

        Assert.Equal([Event(1), Event(2)], _log.Appended);
        Assert.True(outbox.IsEmpty);
        Assert.False(outbox.Holds(1));
    }

    [Fact]
    public async Task A_failed_append_keeps_the_events_for_the_next_flush()
    {
        var outbox = Outbox();
        outbox.Add(Event(1));
        _log.Failing = true;

        Assert.False(await outbox.FlushAsync());
        Assert.Equal([Event(1)], outbox.Pending);

        _log.Failing = false;
        outbox.Add(Event(2));
        Assert.True(await outbox.FlushAsync());

        Assert.Equal([Event(1), Event(2)], _log.Appended);
        Assert.True(outbox.IsEmpty);
    }

    [Fact]
    public async Task An_empty_outbox_does_not_call_the_log()
    {
        Assert.True(await Outbox().FlushAsync());

        Assert.Equal(0, _log.Calls);
    }

    [Fact]
    public async Task Events_added_while_an_append_is_in_flight_stay_for_the_next_flush()
    {
        var outbox = Outbox();
        outbox.Add(Event(1));
        _log.DuringAppend = () => outbox.Add(Event(2));

        await outbox.FlushAsync();

        Assert.Equal([Event(1)], _log.Appended);
        Assert.Equal([Event(2)], outbox.Pending);
    }

    [Fact]
    public async Task The_outbox_reads_the_list_the_state_holds_now_not_the_one_it_saw_first()
    {
        var outbox = Outbox();
        outbox.Add(Event(1));

        // A state read replaces the record, as after a reactivation: what was stored is what is pending.
        _stored = [Event(7)];
        await outbox.FlushAsync();

        Assert.Equal([Event(7)], _log.Appended);
    }

    [Fact]
    public async Task Where_the_log_commits_with_the_state_a_flush_empties_the_outbox_without_appending()
    {
        _log.CommitsWithState = true;
        var outbox = Outbox();
        outbox.Add(Event(1));
        outbox.Add(Event(2));

        Assert.True(await outbox.FlushAsync());

        Assert.True(outbox.IsEmpty);
        Assert.Empty(_stored);
        Assert.Equal(0, _log.Calls);
    }

    private sealed class FakeEventLog : IRoutingEventLog
    {
        public List<RoutingEvent> Appended { get; } = [];

        public bool Failing { get; set; }

        public int Calls { get; private set; }

        public Action? DuringAppend { get; set; }

        public bool IsDurable => true;

        public bool CommitsWithState { get; set; }

        public ValueTask AppendAsync(IReadOnlyList<RoutingEvent> routingEvents, CancellationToken cancellationToken = default)
        {
            Calls++;
            DuringAppend?.Invoke();
            DuringAppend = null;
            if (Failing)
            {
                throw new InvalidOperationException("the database is down");
            }

            Appended.AddRange(routingEvents);
            return ValueTask.CompletedTask;
        }

        public ValueTask<IReadOnlyList<RoutingEvent>> ReadAsync(RoutingEventSubject subject, string subjectId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<RoutingEvent>>(Appended.Where(e => e.Subject == subject && e.SubjectId == subjectId).ToList());

        public ValueTask<IReadOnlyList<RoutingEvent>> ReadNewestAsync(RoutingEventSubject subject, string subjectId, RoutingEventType type, long beforeSequence, int limit, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<RoutingEvent>>([]);

        public ValueTask<IReadOnlyList<RoutingEvent>> ReadRangeAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<RoutingEvent>>([]);

        public ValueTask<IReadOnlyList<RecordedWait>> WaitingEntriesInAsync(string queueId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<RecordedWait>>([]);

        public ValueTask<IReadOnlyList<string>> HeldInteractionsAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<string>>([]);

        public ValueTask<IReadOnlyList<string>> AgentsWithWorkAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<string>>([]);

        public ValueTask EraseCustomerAsync(ErasedCustomer customer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<string>> EndedWithContextAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<string>>([]);

        public ValueTask ContextForgottenAsync(IReadOnlyList<string> interactionIds, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
