namespace Omnichannel.Routing.Api;

/// <summary>
/// The buffer between a live feed and one gRPC stream. A reader that keeps up sees every value in arrival order; for
/// a reader that falls behind, a newer value of a key replaces the one still waiting (keeping its place in line), so
/// the buffer never holds more than one value per key and a slow watcher never slows the grains that publish.
/// </summary>
/// <typeparam name="TKey">What a value is about (an agent, a queue).</typeparam>
/// <typeparam name="TValue">The value.</typeparam>
// Hand-written: no library channel coalesces per key while keeping the key's place in line (bounded channels drop by position).
public sealed class LatestValueBuffer<TKey, TValue>
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly LinkedList<TKey> _order = new();
    private readonly Dictionary<TKey, (LinkedListNode<TKey> Node, TValue Value)> _pending = [];
    private readonly Dictionary<TKey, long> _newest = [];
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>
    /// Adds a value. With an <paramref name="order"/>, a value older than the newest one already posted for its key is
    /// dropped: feeds may deliver out of order, and a stale value must never replace a newer one.
    /// </summary>
    public void Post(TKey key, TValue value, long? order = null)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (order is { } o)
            {
                if (_newest.TryGetValue(key, out var newest) && newest >= o)
                {
                    return;
                }

                _newest[key] = o;
            }

            if (_pending.TryGetValue(key, out var waiting))
            {
                _pending[key] = (waiting.Node, value);
            }
            else
            {
                _pending[key] = (_order.AddLast(key), value);
            }

            signal = _signal;
        }

        signal.TrySetResult();
    }

    public bool TryTake(out TValue value)
    {
        lock (_gate)
        {
            if (_order.First is not { } first)
            {
                value = default!;
                return false;
            }

            _order.RemoveFirst();
            value = _pending[first.Value].Value;
            _pending.Remove(first.Value);
            return true;
        }
    }

    /// <summary>Completes when a value may be waiting.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_pending.Count > 0)
            {
                return Task.CompletedTask;
            }

            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _signal.Task.WaitAsync(cancellationToken);
        }
    }
}
