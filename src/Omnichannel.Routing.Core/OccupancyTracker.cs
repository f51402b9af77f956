namespace Omnichannel.Routing.Core;

/// <summary>
/// Time accounting of one agent (contract §5, Occupancy): how long it spent in each presence and activity today, how
/// much of its signed-in time it was occupied (holding at least one connected or wrap-up interaction, however
/// many at once) over the last 15 minutes and over the day, and what it handled per channel.
/// </summary>
/// <remarks>
/// <para>
/// The caller reports each state from the instant it takes effect (<see cref="Observe"/>); the tracker charges
/// the time between two observations to the earlier state. The day is the UTC day: at 00:00 UTC the day's totals
/// start again from zero, and a stretch that spans midnight is split between the two days.
/// </para>
/// <para>
/// Memory is bounded: today's totals are sums, and the recent window keeps only the signed-in stretches that may
/// still overlap it. Consecutive observations that change neither signed-in nor occupied extend the current
/// stretch rather than adding one, so repeating an observation costs nothing.
/// </para>
/// <para>
/// Instants earlier than the latest one the tracker has seen are treated as that latest instant: accounted time
/// cannot be taken back, and a late report must not charge time twice.
/// </para>
/// </remarks>
public sealed class OccupancyTracker
{
    /// <summary>The sliding window of <see cref="OccupancyFigures.OccupancyPercentRecent"/>.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Most closed stretches kept for the window. Beyond it the two neighbours shortest together are merged into one
    /// stretch with their occupied time, so the stored state stays small however often the agent changes; the
    /// figure stays exact except where the window's start cuts a merged stretch, whose occupied time is then taken
    /// as spread evenly over it.
    /// </summary>
    public const int MaxRecentStretches = 128;

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    private readonly List<OccupancyStretch> _recentSignedIn = [];
    private DayTotals _today;
    private DateTimeOffset _day;
    private DateTimeOffset _accountedUntil;
    private bool _signedIn;
    private Presence _presence;
    private AgentActivity _activity;
    private bool _occupied;
    private DateTimeOffset _activitySince;
    private DateTimeOffset _stretchStart;

    /// <summary>A tracker for an agent that is signed out from <paramref name="now"/> on.</summary>
    public OccupancyTracker(DateTimeOffset now)
    {
        _today = new DayTotals();
        _day = DayOf(now);
        _accountedUntil = now;
        _signedIn = false;
        _presence = Presence.Offline;
        _activity = AgentActivity.SignedOut;
        _occupied = false;
        _activitySince = now;
        _stretchStart = now;
    }

    /// <summary>A tracker that carries on from a state <see cref="Export"/> produced.</summary>
    public OccupancyTracker(OccupancyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(state.PresenceTime, nameof(state));
        ArgumentNullException.ThrowIfNull(state.ActivityTime, nameof(state));
        ArgumentNullException.ThrowIfNull(state.Handling, nameof(state));
        ArgumentNullException.ThrowIfNull(state.RecentSignedInStretches, nameof(state));
        if (state.StretchStart > state.AccountedUntil || state.ActivitySince > state.AccountedUntil)
        {
            throw new ArgumentException("The current stretch and activity cannot begin after the accounted time.", nameof(state));
        }

        _today = new DayTotals(state);
        _day = state.Day;
        _accountedUntil = state.AccountedUntil;
        _signedIn = state.SignedIn;
        _presence = state.Presence;
        _activity = state.Activity;
        _occupied = state.Occupied;
        _activitySince = state.ActivitySince;
        _stretchStart = state.StretchStart;
        _recentSignedIn.AddRange(state.RecentSignedInStretches.OrderBy(s => s.Start));
    }

    /// <summary>Everything needed to restore this tracker with <see cref="OccupancyTracker(OccupancyState)"/>; a copy, unaffected by later calls.</summary>
    public OccupancyState Export() => new(
        _day,
        _accountedUntil,
        _signedIn,
        _presence,
        _activity,
        _occupied,
        _activitySince,
        _stretchStart,
        new Dictionary<Presence, TimeSpan>(_today.Presence).AsReadOnly(),
        new Dictionary<AgentActivity, TimeSpan>(_today.Activity).AsReadOnly(),
        _today.SignedIn,
        _today.Occupied,
        new Dictionary<string, OccupancyHandlingTotals>(_today.Handling, StringComparer.Ordinal).AsReadOnly(),
        _recentSignedIn.ToArray());

    /// <summary>
    /// From <paramref name="at"/> on, the agent is in this state. Called after every change; calls with the same
    /// values are harmless. <paramref name="occupied"/> means holding at least one connected or wrap-up interaction.
    /// </summary>
    public void Observe(DateTimeOffset at, bool signedIn, Presence presence, AgentActivity activity, bool occupied)
    {
        at = NotBeforeAccounted(at);
        AccountUntil(at);

        if (signedIn != _signedIn || occupied != _occupied)
        {
            CloseStretch(at);
            _stretchStart = at;
        }

        if (activity != _activity)
        {
            _activitySince = at;
        }

        _signedIn = signedIn;
        _presence = presence;
        _activity = activity;
        _occupied = occupied;
        ForgetStretchesBefore(at - RecentWindow);
    }

    /// <summary>
    /// An interaction of <paramref name="channel"/> ended at <paramref name="at"/>: it was connected for
    /// <paramref name="handleTime"/>, then in wrap-up for <paramref name="wrapUpTime"/>. It counts for the day of
    /// <paramref name="at"/>.
    /// </summary>
    public void Handled(string channel, TimeSpan handleTime, TimeSpan wrapUpTime, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentOutOfRangeException.ThrowIfLessThan(handleTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(wrapUpTime, TimeSpan.Zero);

        AccountUntil(NotBeforeAccounted(at));
        _today.AddHandled(channel, handleTime, wrapUpTime);
    }

    /// <summary>The figures as of <paramref name="now"/>, counting the current stretch up to it. Changes nothing.</summary>
    public OccupancyFigures Figures(DateTimeOffset now)
    {
        now = NotBeforeAccounted(now);

        // Charge the current stretch on a copy, so asking never moves the books.
        var sameDay = DayOf(now) == _day;
        var today = sameDay ? _today.Copy() : new DayTotals();
        var from = sameDay ? _accountedUntil : Max(_accountedUntil, DayOf(now));
        today.Add(now - from, _signedIn, _presence, _activity, _occupied);

        return new OccupancyFigures(
            new Dictionary<Presence, TimeSpan>(today.Presence).AsReadOnly(),
            new Dictionary<AgentActivity, TimeSpan>(today.Activity).AsReadOnly(),
            RecentOccupancyPercent(now),
            Percent(today.Occupied, today.SignedIn),
            today.Handling.ToDictionary(
                h => h.Key,
                h => new ChannelHandlingFigures(
                    h.Value.Handled,
                    Mean(h.Value.HandleTime, h.Value.Handled),
                    Mean(h.Value.WrapUpTime, h.Value.Handled)),
                StringComparer.Ordinal).AsReadOnly(),
            _activitySince);
    }

    private double RecentOccupancyPercent(DateTimeOffset now)
    {
        var windowStart = now - RecentWindow;
        var signedIn = TimeSpan.Zero;
        var occupied = TimeSpan.Zero;
        foreach (var stretch in _recentSignedIn)
        {
            var overlap = Overlap(stretch.Start, stretch.End, windowStart, now);
            signedIn += overlap;
            occupied += stretch.MergedOccupiedTime switch
            {
                null => stretch.Occupied ? overlap : TimeSpan.Zero,
                // A merged stretch the window's start cuts: its occupied time taken as spread evenly over it.
                { } merged when overlap < stretch.End - stretch.Start => merged * (overlap / (stretch.End - stretch.Start)),
                { } merged => merged,
            };
        }

        if (_signedIn)
        {
            var overlap = Overlap(_stretchStart, now, windowStart, now);
            signedIn += overlap;
            if (_occupied)
            {
                occupied += overlap;
            }
        }

        return Percent(occupied, signedIn);
    }

    /// <summary>Charges the state in force from the accounted instant to <paramref name="to"/>, starting a new day at each midnight crossed.</summary>
    private void AccountUntil(DateTimeOffset to)
    {
        var from = _accountedUntil;
        var day = DayOf(to);
        if (day > _day)
        {
            // Finish the old day at its midnight, then start the day of `to`; whole days in between are nobody's
            // "today" any more, so they need no totals.
            _today.Add(_day + OneDay - from, _signedIn, _presence, _activity, _occupied);
            _today = new DayTotals();
            _day = day;
            from = Max(from, day);
        }

        _today.Add(to - from, _signedIn, _presence, _activity, _occupied);
        _accountedUntil = to;
    }

    private void CloseStretch(DateTimeOffset at)
    {
        // Signed-out time never counts towards occupancy, so it is not kept.
        if (!_signedIn || at <= _stretchStart)
        {
            return;
        }

        if (_recentSignedIn.Count > 0
            && _recentSignedIn[^1] is var last
            && last.MergedOccupiedTime is null
            && last.End == _stretchStart
            && last.Occupied == _occupied)
        {
            // A zero-length stretch of another kind came between: the two are one stretch.
            _recentSignedIn[^1] = last with { End = at };
            return;
        }

        _recentSignedIn.Add(new OccupancyStretch(_stretchStart, at, _occupied));
        if (_recentSignedIn.Count > MaxRecentStretches)
        {
            MergeShortestNeighbours();
        }
    }

    // Merging the pair shortest together keeps the resolution even across the window; only neighbours that touch
    // (no signed-out gap between them) merge, so signed-out time never enters a stretch.
    private void MergeShortestNeighbours()
    {
        var best = -1;
        var bestLength = TimeSpan.MaxValue;
        for (var i = 0; i + 1 < _recentSignedIn.Count; i++)
        {
            var (first, second) = (_recentSignedIn[i], _recentSignedIn[i + 1]);
            if (first.End == second.Start && second.End - first.Start < bestLength)
            {
                best = i;
                bestLength = second.End - first.Start;
            }
        }

        if (best < 0)
        {
            // No two stretches touch: each lies between signed-out gaps; the oldest goes, as the window would drop it first.
            _recentSignedIn.RemoveAt(0);
            return;
        }

        _recentSignedIn[best] = _recentSignedIn[best].MergedWith(_recentSignedIn[best + 1]);
        _recentSignedIn.RemoveAt(best + 1);
    }

    private void ForgetStretchesBefore(DateTimeOffset windowStart)
    {
        var stale = 0;
        while (stale < _recentSignedIn.Count && _recentSignedIn[stale].End <= windowStart)
        {
            stale++;
        }

        _recentSignedIn.RemoveRange(0, stale);
    }

    private DateTimeOffset NotBeforeAccounted(DateTimeOffset at) => Max(at, _accountedUntil);

    private static DateTimeOffset DayOf(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    private static TimeSpan Overlap(DateTimeOffset start, DateTimeOffset end, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        var from = Max(start, windowStart);
        var to = end <= windowEnd ? end : windowEnd;
        return to > from ? to - from : TimeSpan.Zero;
    }

    private static TimeSpan Mean(TimeSpan total, long count) =>
        count > 0 ? TimeSpan.FromTicks(total.Ticks / count) : TimeSpan.Zero;

    private static double Percent(TimeSpan part, TimeSpan whole) =>
        whole > TimeSpan.Zero ? 100.0 * part.Ticks / whole.Ticks : 0;

    /// <summary>Today's sums; mutable, owned by the tracker or by one <see cref="Figures"/> call.</summary>
    private sealed class DayTotals
    {
        public DayTotals()
        {
            Presence = Enum.GetValues<Presence>().ToDictionary(p => p, _ => TimeSpan.Zero);
            Activity = Enum.GetValues<AgentActivity>().ToDictionary(a => a, _ => TimeSpan.Zero);
            Handling = new Dictionary<string, OccupancyHandlingTotals>(StringComparer.Ordinal);
        }

        public DayTotals(OccupancyState state)
            : this()
        {
            foreach (var (presence, time) in state.PresenceTime)
            {
                Presence[presence] = time;
            }

            foreach (var (activity, time) in state.ActivityTime)
            {
                Activity[activity] = time;
            }

            foreach (var (channel, totals) in state.Handling)
            {
                Handling[channel] = totals;
            }

            SignedIn = state.SignedInTime;
            Occupied = state.OccupiedTime;
        }

        private DayTotals(DayTotals other)
        {
            Presence = new Dictionary<Presence, TimeSpan>(other.Presence);
            Activity = new Dictionary<AgentActivity, TimeSpan>(other.Activity);
            Handling = new Dictionary<string, OccupancyHandlingTotals>(other.Handling, StringComparer.Ordinal);
            SignedIn = other.SignedIn;
            Occupied = other.Occupied;
        }

        public Dictionary<Presence, TimeSpan> Presence { get; }

        public Dictionary<AgentActivity, TimeSpan> Activity { get; }

        public Dictionary<string, OccupancyHandlingTotals> Handling { get; }

        public TimeSpan SignedIn { get; private set; }

        public TimeSpan Occupied { get; private set; }

        public DayTotals Copy() => new(this);

        public void Add(TimeSpan duration, bool signedIn, Presence presence, AgentActivity activity, bool occupied)
        {
            if (duration <= TimeSpan.Zero)
            {
                return;
            }

            Presence[presence] = Presence.GetValueOrDefault(presence) + duration;
            Activity[activity] = Activity.GetValueOrDefault(activity) + duration;
            if (signedIn)
            {
                SignedIn += duration;
                if (occupied)
                {
                    Occupied += duration;
                }
            }
        }

        public void AddHandled(string channel, TimeSpan handleTime, TimeSpan wrapUpTime)
        {
            var totals = Handling.GetValueOrDefault(channel) ?? new OccupancyHandlingTotals(0, TimeSpan.Zero, TimeSpan.Zero);
            Handling[channel] = new OccupancyHandlingTotals(
                totals.Handled + 1,
                totals.HandleTime + handleTime,
                totals.WrapUpTime + wrapUpTime);
        }
    }
}
