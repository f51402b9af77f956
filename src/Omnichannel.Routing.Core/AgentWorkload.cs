namespace Omnichannel.Routing.Core;

/// <summary>Where an interaction held by an agent stands.</summary>
public enum WorkPhase
{
    Offered = 0,
    Connected = 1,
    WrapUp = 2,
}

/// <summary>One interaction an agent holds, reserving capacity on its channel.</summary>
/// <param name="InteractionId">Interaction id.</param>
/// <param name="Channel">Channel whose capacity it holds.</param>
/// <param name="QueueId">Queue it came from.</param>
/// <param name="Phase">Offered, connected or in wrap-up.</param>
/// <param name="Since">When it entered the phase.</param>
/// <param name="Deadline">Offer expiry, or end of wrap-up; null when nothing is timed.</param>
/// <param name="WrapUp">The wrap-up time granted after it completes, fixed when it was offered.</param>
/// <param name="ConnectedAt">When the agent accepted it; null while it is only offered.</param>
/// <remarks>
/// The agent grain stores these and sends them to the agent's desktop as they are: the grain contracts give the type
/// a serializer surrogate, so this project stays free of Orleans.
/// </remarks>
public sealed record WorkItem(
    string InteractionId,
    string Channel,
    string QueueId,
    WorkPhase Phase,
    DateTimeOffset Since,
    DateTimeOffset? Deadline,
    TimeSpan WrapUp = default,
    DateTimeOffset? ConnectedAt = null);

/// <summary>The result of asking a workload to move one of its interactions.</summary>
public enum WorkChange
{
    Done = 0,

    /// <summary>The agent does not hold that interaction.</summary>
    NotHeld,

    /// <summary>It is held, but not in the phase the move starts from.</summary>
    WrongPhase,

    /// <summary>The offer's time ran out before it was accepted.</summary>
    Expired,
}

/// <summary>
/// The interactions one agent holds and the capacity they use. This is the single authority on an agent's
/// capacity: a reservation that does not fit every limit of the profile is refused here, whoever asks, so no
/// race between queues can overfill an agent (contract §4).
/// </summary>
public sealed class AgentWorkload
{
    private readonly Dictionary<string, WorkItem> _items = new(StringComparer.Ordinal);

    public AgentWorkload(CapacityProfile profile, IEnumerable<WorkItem>? items = null)
    {
        Profile = profile ?? throw new ArgumentNullException(nameof(profile));
        foreach (var item in items ?? [])
        {
            _items[item.InteractionId] = item;
        }

        Load = AgentLoad.From(_items.Values.Select(i => new KeyValuePair<string, int>(i.Channel, 1)));
    }

    public CapacityProfile Profile { get; private set; }

    public AgentLoad Load { get; private set; }

    public IReadOnlyCollection<WorkItem> Items => _items.Values;

    public IEnumerable<WorkItem> Offers => _items.Values.Where(i => i.Phase == WorkPhase.Offered);

    public int UnitsUsed => Profile.UnitsUsed(Load);

    /// <summary>The earliest offer expiry or wrap-up end, for the agent's timer.</summary>
    public DateTimeOffset? NextDeadline => _items.Values.Where(i => i.Deadline is not null).Min(i => i.Deadline);

    public WorkItem? Find(string interactionId) => _items.GetValueOrDefault(interactionId);

    /// <summary>
    /// A new profile applies to new offers at once; work already held stays, and no offer is made until the load
    /// fits the new limits again.
    /// </summary>
    public void ChangeProfile(CapacityProfile profile) => Profile = profile ?? throw new ArgumentNullException(nameof(profile));

    public CapacityVerdict CanReserve(string channel) => Profile.CanTake(Load, channel);

    /// <summary>
    /// Reserves capacity for an offer that expires after <paramref name="offerTimeout"/>; <paramref name="wrapUp"/>
    /// is the wrap-up time it will be granted once completed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The offer does not fit, or the interaction is already held.</exception>
    public WorkItem Reserve(string interactionId, string channel, string queueId, DateTimeOffset now, TimeSpan offerTimeout, TimeSpan wrapUp = default)
    {
        if (_items.ContainsKey(interactionId))
        {
            throw new InvalidOperationException($"Interaction '{interactionId}' is already held.");
        }

        var verdict = CanReserve(channel);
        if (verdict != CapacityVerdict.Fits)
        {
            throw new InvalidOperationException($"Interaction '{interactionId}' on '{channel}' does not fit: {verdict}.");
        }

        var item = new WorkItem(interactionId, channel, queueId, WorkPhase.Offered, now, now + offerTimeout, wrapUp);
        _items[interactionId] = item;
        Load = Load.Add(channel);
        return item;
    }

    /// <summary>Offered → connected, if the offer has not expired; the item remembers when it connected.</summary>
    public (WorkChange Change, WorkItem? Item) Accept(string interactionId, DateTimeOffset now)
    {
        if (!_items.TryGetValue(interactionId, out var item))
        {
            return (WorkChange.NotHeld, null);
        }

        if (item.Phase != WorkPhase.Offered)
        {
            return (WorkChange.WrongPhase, item);
        }

        if (item.Deadline is { } expiry && now >= expiry)
        {
            return (WorkChange.Expired, item);
        }

        var connected = item with { Phase = WorkPhase.Connected, Since = now, Deadline = null, ConnectedAt = now };
        _items[interactionId] = connected;
        return (WorkChange.Done, connected);
    }

    /// <summary>Connected → wrap-up, holding the channel's capacity until <paramref name="wrapUp"/> passes.</summary>
    public (WorkChange Change, WorkItem? Item) Complete(string interactionId, DateTimeOffset now, TimeSpan wrapUp)
    {
        if (!_items.TryGetValue(interactionId, out var item))
        {
            return (WorkChange.NotHeld, null);
        }

        if (item.Phase != WorkPhase.Connected)
        {
            return (WorkChange.WrongPhase, item);
        }

        var wrapping = item with { Phase = WorkPhase.WrapUp, Since = now, Deadline = now + wrapUp };
        _items[interactionId] = wrapping;
        return (WorkChange.Done, wrapping);
    }

    /// <summary>Ends wrap-up and gives the capacity back.</summary>
    public (WorkChange Change, WorkItem? Item) EndWrapUp(string interactionId)
    {
        if (!_items.TryGetValue(interactionId, out var item))
        {
            return (WorkChange.NotHeld, null);
        }

        if (item.Phase != WorkPhase.WrapUp)
        {
            return (WorkChange.WrongPhase, item);
        }

        return (WorkChange.Done, Drop(item));
    }

    /// <summary>Drops an interaction in any phase (reject, timeout, cancel, transfer away) and frees its capacity.</summary>
    public (WorkChange Change, WorkItem? Item) Release(string interactionId) =>
        _items.TryGetValue(interactionId, out var item) ? (WorkChange.Done, Drop(item)) : (WorkChange.NotHeld, null);

    /// <summary>Offers whose time ran out at <paramref name="now"/>.</summary>
    public IReadOnlyList<WorkItem> ExpiredOffers(DateTimeOffset now) =>
        _items.Values.Where(i => i.Phase == WorkPhase.Offered && i.Deadline <= now).OrderBy(i => i.Deadline).ToList();

    /// <summary>Wrap-ups whose time ran out at <paramref name="now"/>.</summary>
    public IReadOnlyList<WorkItem> FinishedWrapUps(DateTimeOffset now) =>
        _items.Values.Where(i => i.Phase == WorkPhase.WrapUp && i.Deadline <= now).OrderBy(i => i.Deadline).ToList();

    /// <summary>The activity this workload shows (contract §2), given sign-in and responsiveness.</summary>
    public AgentActivity ActivityWhen(bool signedIn, bool notResponding)
    {
        if (!signedIn)
        {
            return AgentActivity.SignedOut;
        }

        if (notResponding)
        {
            return AgentActivity.NotResponding;
        }

        if (_items.Values.Any(i => i.Phase != WorkPhase.WrapUp))
        {
            return AgentActivity.Busy;
        }

        return _items.Count > 0 ? AgentActivity.WrapUp : AgentActivity.Idle;
    }

    private WorkItem Drop(WorkItem item)
    {
        _items.Remove(item.InteractionId);
        Load = Load.Remove(item.Channel);
        return item;
    }
}
