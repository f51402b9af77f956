using Microsoft.Extensions.Logging;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// A grain's events that are committed but perhaps not yet in the event log (a transactional outbox). The grain
/// <see cref="Add"/>s each event to a list kept in its own state record, writes its state — the commit point — and
/// then <see cref="FlushAsync"/>es. An append that fails leaves the events pending, stored with the state, for the
/// next flush: after the next change, on activation, or from a reconcile timer. Only committed events reach the log,
/// and a sequence number there always names the same event, so appending one twice is harmless.
/// <para>
/// Where the log <see cref="IRoutingEventLog.CommitsWithState">commits with the state</see> (durable mode), the
/// storage appends the pending events in the transaction that writes the state, so a flush after a successful write,
/// or on activation, finds them logged already and only empties the list. A grain adds nothing between its write and
/// that flush: grains here are not reentrant and their timers do not interleave.
/// </para>
/// </summary>
internal sealed partial class EventOutbox
{
    private readonly IRoutingEventLog _log;
    private readonly Func<List<RoutingEvent>> _pending;
    private readonly ILogger _logger;
    private readonly string _owner;

    /// <param name="log">Where the events go.</param>
    /// <param name="pending">The persisted list in the grain's state record (read on every use: the record may be replaced).</param>
    /// <param name="logger">For appends that failed.</param>
    /// <param name="owner">Names the grain in that warning.</param>
    public EventOutbox(IRoutingEventLog log, Func<List<RoutingEvent>> pending, ILogger logger, string owner)
    {
        _log = log;
        _pending = pending;
        _logger = logger;
        _owner = owner;
    }

    /// <summary>Events stored or about to be stored that the log may not have.</summary>
    public IReadOnlyList<RoutingEvent> Pending => _pending();

    public bool IsEmpty => _pending().Count == 0;

    /// <summary>Adds an event; it is committed by the grain's next state write.</summary>
    public void Add(RoutingEvent routingEvent)
    {
        ArgumentNullException.ThrowIfNull(routingEvent);
        _pending().Add(routingEvent);
    }

    /// <summary>Whether the event with this sequence still waits for the log.</summary>
    public bool Holds(long sequence) => _pending().Exists(e => e.Sequence == sequence);

    /// <summary>
    /// Appends every pending event. True when the log has them all; false when the append failed and they stay
    /// pending. The caller's change is stored already, so a failure here never refuses the caller.
    /// </summary>
    public async Task<bool> FlushAsync()
    {
        var pending = _pending();
        if (pending.Count == 0)
        {
            return true;
        }

        if (_log.CommitsWithState)
        {
            // Everything here was in the state the last write (or the stored row just read) carried, and the
            // storage committed it to the log in that same transaction.
            pending.Clear();
            return true;
        }

        var batch = pending.ToArray();
        try
        {
            await _log.AppendAsync(batch);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
        {
            LogPending(_owner, batch.Length, e);
            return false;
        }

        // Only what was sent: anything added while the append was in flight waits for the next flush.
        _pending().RemoveRange(0, Math.Min(batch.Length, _pending().Count));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Owner}: {Count} committed event(s) wait to be written to the event log")]
    private partial void LogPending(string owner, int count, Exception exception);
}
