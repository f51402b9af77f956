using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// The agent's one path to record and store a change: events go into the <see cref="EventOutbox"/> first, then
/// <see cref="CommitAsync"/> takes the held work from the workload, observes the occupancy, bumps the version
/// queues compare, writes the state (the commit point) and flushes the outbox, so an event reaches the log only
/// once the change it describes is stored.
/// </summary>
internal sealed class AgentRecorder
{
    private readonly string _agentId;
    private readonly Func<AgentRecord> _record;
    private readonly Func<AgentWorkload> _workload;
    private readonly Func<Task> _writeState;
    private readonly EventOutbox _outbox;
    private readonly TimeProvider _clock;
    private readonly Action _stored;
    private AgentOccupancy? _occupancy;

    /// <param name="agentId">The agent.</param>
    /// <param name="record">The stored record (read on every use).</param>
    /// <param name="workload">The workload whose items are stored.</param>
    /// <param name="writeState">Writes the record; a failure throws and nothing was stored.</param>
    /// <param name="outbox">The agent's event outbox, kept in the record.</param>
    /// <param name="clock">The engine's clock.</param>
    /// <param name="stored">Told after every store (the occupancy feed).</param>
    public AgentRecorder(string agentId, Func<AgentRecord> record, Func<AgentWorkload> workload, Func<Task> writeState, EventOutbox outbox, TimeProvider clock, Action stored)
    {
        _agentId = agentId;
        _record = record;
        _workload = workload;
        _writeState = writeState;
        _outbox = outbox;
        _clock = clock;
        _stored = stored;
    }

    /// <summary>The agent's occupancy, restored from the record on first use.</summary>
    public AgentOccupancy Occupancy => _occupancy ??= RestoreOccupancy(_record());

    // A record written by an earlier build holds the JSON form only.
    private AgentOccupancy RestoreOccupancy(AgentRecord record) => record is { Occupancy: null, OccupancyJson: { } json }
        ? AgentOccupancy.RestoreFromJson(json, _clock.GetUtcNow(), DateTimeOffset.UtcNow.UtcTicks)
        : AgentOccupancy.Restore(record.Occupancy, _clock.GetUtcNow(), DateTimeOffset.UtcNow.UtcTicks);

    /// <summary>
    /// Records an agent event (presence, activity, definition) in the outbox: it is committed by the next
    /// <see cref="CommitAsync"/> and reaches the event log right after it.
    /// </summary>
    public void RecordEvent(RoutingEventType type, Actor actor, string? detail)
    {
        var record = _record();
        _outbox.Add(RoutingEvent.ForAgent(_clock.GetUtcNow(), _agentId, ++record.EventSequence, type, actor, detail));
    }

    /// <summary>Stores the state, with the held work as the workload has it, making the change visible to queues with a new version.</summary>
    public async Task CommitAsync()
    {
        var record = _record();
        var workload = _workload();
        record.Version++;
        record.Work = [.. workload.Items];
        var activity = workload.ActivityWhen(record.SignedIn, record.NotResponding);
        var occupied = workload.Items.Any(i => i.Phase is WorkPhase.Connected or WorkPhase.WrapUp);
        record.Occupancy = Occupancy.Observe(_clock.GetUtcNow(), record.SignedIn, record.Presence, activity, occupied);
        record.OccupancyJson = null;
        RoutingMetrics.AgentActivityIs(_agentId, activity);
        await _writeState();
        await _outbox.FlushAsync();
        _stored();
    }
}
