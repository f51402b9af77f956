using System.Collections.Concurrent;

namespace Omnichannel.Routing.Grains.Tests;

/// <summary>
/// Counts the calls grains make to one another, by grain class and method, while a <see cref="CallWindow"/> is open.
/// An incoming grain call filter registered on the test silo only. Only calls made by a grain count: the test's own
/// calls (the client's) and a grain's own timer ticks (a call from itself) do not, so waiting on state by polling
/// changes no count, and neither does a timer that happens to fire while counting.
/// </summary>
public sealed class GrainCallTally : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<CallWindow, byte> _open = new();

    /// <summary>Starts counting calls to the grains whose key contains <paramref name="keyPart"/> (one test's ids).</summary>
    public CallWindow Open(string keyPart)
    {
        var window = new CallWindow(keyPart, w => _open.TryRemove(w, out _));
        _open[window] = 0;
        return window;
    }

    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_open.IsEmpty && context.SourceId is { } source && !source.IsClient() && source != context.TargetId)
        {
            foreach (var window in _open.Keys)
            {
                window.Saw(context.TargetId, context.Grain?.GetType().Name ?? context.TargetId.Type.ToString(), context.MethodName);
            }
        }

        return context.Invoke();
    }
}

/// <summary>One grain class's method, as counted.</summary>
public readonly record struct GrainCall(string Grain, string Method)
{
    public override string ToString() => $"{Grain}.{Method}";
}

/// <summary>The calls counted between opening and closing (disposing) it, for grains whose key contains a given part.</summary>
public sealed class CallWindow : IDisposable
{
    private readonly string _keyPart;
    private readonly Action<CallWindow> _close;
    private readonly ConcurrentDictionary<GrainCall, int> _counts = new();

    internal CallWindow(string keyPart, Action<CallWindow> close)
    {
        _keyPart = keyPart;
        _close = close;
    }

    /// <summary>The calls counted so far, by grain class and method.</summary>
    public IReadOnlyDictionary<GrainCall, int> Counts => _counts;

    /// <summary>All the calls counted so far.</summary>
    public int Total => _counts.Values.Sum();

    /// <summary>The calls counted so far to grains of one class.</summary>
    public int To(string grain) => _counts.Where(c => c.Key.Grain == grain).Sum(c => c.Value);

    /// <summary>The counts as a table, one method a line, for a test's output.</summary>
    public string Table() =>
        string.Join(Environment.NewLine, _counts.OrderBy(c => c.Key.Grain, StringComparer.Ordinal).ThenBy(c => c.Key.Method, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));

    public void Dispose() => _close(this);

    internal void Saw(GrainId target, string grain, string method)
    {
        if (target.Key.ToString().Contains(_keyPart, StringComparison.Ordinal))
        {
            _counts.AddOrUpdate(new GrainCall(grain, method), 1, (_, n) => n + 1);
        }
    }
}
