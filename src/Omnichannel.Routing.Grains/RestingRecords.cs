namespace Omnichannel.Routing.Grains;

/// <summary>
/// The records of one kind at rest, in the order they came to rest, at most a bound of them: the embedded storage's
/// way to forget the oldest. A record written at rest again keeps its place; one written with something open again
/// leaves the count, and when it comes to rest once more it is the newest. Each place carries a generation, so a
/// record that left and came back is not forgotten by the place it held before. O(1) per write, amortised: stale
/// places are skipped as the oldest is sought, and swept out once they outnumber the live ones.
/// </summary>
/// <typeparam name="TKey">Names a record.</typeparam>
/// <typeparam name="TValue">A record as written: the caller forgets it only if it is still stored so.</typeparam>
internal sealed class RestingRecords<TKey, TValue>
    where TKey : notnull
{
    // Sweeping fewer stale places than this is not worth a pass over the line.
    private const int StaleSwept = 64;

    private readonly Dictionary<TKey, Place> _resting = [];
    private readonly Queue<(TKey Key, long Generation)> _line = new();
    private readonly Lock _lock = new();
    private readonly int _kept;
    private long _generation;

    /// <param name="kept">How many records at rest are kept; more than zero.</param>
    public RestingRecords(int kept)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kept);
        _kept = kept;
    }

    /// <summary>Records at rest now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _resting.Count;
            }
        }
    }

    /// <summary>Places in the line, including those of records that left it and are not swept out yet.</summary>
    public int Places
    {
        get
        {
            lock (_lock)
            {
                return _line.Count;
            }
        }
    }

    /// <summary>
    /// Notes <paramref name="key"/> written at rest as <paramref name="written"/>. Answers the record that this pushed
    /// beyond the bound, the one at rest longest, as it was last written; none while the bound holds them all.
    /// </summary>
    public KeyValuePair<TKey, TValue>? Rest(TKey key, TValue written)
    {
        lock (_lock)
        {
            if (_resting.TryGetValue(key, out var place))
            {
                _resting[key] = place with { Written = written };
                return null;
            }

            var generation = ++_generation;
            _resting[key] = new Place(generation, written);
            _line.Enqueue((key, generation));
            return _resting.Count > _kept ? Oldest() : null;
        }
    }

    /// <summary>Notes <paramref name="key"/> no longer at rest (written with something open, or cleared): it leaves the count.</summary>
    public void Leave(TKey key)
    {
        lock (_lock)
        {
            if (_resting.Remove(key) && _line.Count - _resting.Count > Math.Max(_resting.Count, StaleSwept))
            {
                Sweep();
            }
        }
    }

    // Takes the record at rest longest out of the count, skipping places their records left.
    private KeyValuePair<TKey, TValue> Oldest()
    {
        while (true)
        {
            var (key, generation) = _line.Dequeue();
            if (_resting.TryGetValue(key, out var place) && place.Generation == generation)
            {
                _resting.Remove(key);
                return KeyValuePair.Create(key, place.Written);
            }
        }
    }

    private void Sweep()
    {
        var live = _line.Where(p => _resting.TryGetValue(p.Key, out var place) && place.Generation == p.Generation).ToList();
        _line.Clear();
        foreach (var place in live)
        {
            _line.Enqueue(place);
        }
    }

    private readonly record struct Place(long Generation, TValue Written);
}
