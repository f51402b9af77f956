using System.Collections;

namespace Omnichannel.Routing.Core;

/// <summary>
/// How many interactions an agent holds on each channel: offered, connected and in wrap-up all count, since an
/// offer reserves capacity and wrap-up holds it (contract §3.6, §3.7). Immutable; an agent rarely holds more than a
/// few channels, so a small sorted array beats a dictionary.
/// </summary>
public sealed class AgentLoad : IEquatable<AgentLoad>, IEnumerable<KeyValuePair<string, int>>
{
    private readonly KeyValuePair<string, int>[] _counts;

    private AgentLoad(KeyValuePair<string, int>[] counts)
    {
        _counts = counts;
        Total = counts.Sum(c => c.Value);
    }

    /// <summary>No load at all.</summary>
    public static AgentLoad Empty { get; } = new([]);

    /// <summary>Interactions held across all channels.</summary>
    public int Total { get; }

    /// <summary>Interactions held on <paramref name="channel"/>.</summary>
    public int this[string channel]
    {
        get
        {
            foreach (var c in _counts)
            {
                if (string.Equals(c.Key, channel, StringComparison.Ordinal))
                {
                    return c.Value;
                }
            }

            return 0;
        }
    }

    /// <summary>Builds a load from channel counts; zero and negative counts are dropped.</summary>
    public static AgentLoad From(IEnumerable<KeyValuePair<string, int>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var merged = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (channel, count) in counts)
        {
            merged[channel] = merged.GetValueOrDefault(channel) + count;
        }

        return new AgentLoad(merged.Where(c => c.Value > 0).ToArray());
    }

    /// <summary>True when the agent holds something on a channel other than <paramref name="channel"/>.</summary>
    public bool HasOtherThan(string channel) =>
        _counts.Any(c => !string.Equals(c.Key, channel, StringComparison.Ordinal));

    public AgentLoad Add(string channel) => With(channel, +1);

    public AgentLoad Remove(string channel) => With(channel, -1);

    private AgentLoad With(string channel, int delta)
    {
        var list = new List<KeyValuePair<string, int>>(_counts.Length + 1);
        var found = false;
        foreach (var c in _counts)
        {
            if (string.Equals(c.Key, channel, StringComparison.Ordinal))
            {
                found = true;
                var next = c.Value + delta;
                if (next < 0)
                {
                    throw new InvalidOperationException($"Load on channel '{channel}' would become negative.");
                }

                if (next > 0)
                {
                    list.Add(new(c.Key, next));
                }
            }
            else
            {
                list.Add(c);
            }
        }

        if (!found)
        {
            if (delta < 0)
            {
                throw new InvalidOperationException($"No load on channel '{channel}' to remove.");
            }

            list.Add(new(channel, delta));
            list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        }

        return new AgentLoad([.. list]);
    }

    public bool Equals(AgentLoad? other) =>
        other is not null && _counts.AsSpan().SequenceEqual(other._counts);

    public override bool Equals(object? obj) => Equals(obj as AgentLoad);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var c in _counts)
        {
            hash.Add(c.Key, StringComparer.Ordinal);
            hash.Add(c.Value);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, int>>)_counts).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Total == 0 ? "idle" : string.Join(", ", _counts.Select(c => $"{c.Key}={c.Value}"));
}
