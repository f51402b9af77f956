using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// The agent version each of its queues last saw (from a snapshot sent, or one the queue was handed in a call), so
/// a change is sent only to queues that are behind it. Not stored: a new activation sends to every queue once.
/// </summary>
internal sealed class PublishedVersions
{
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);

    public void Saw(string queueId, long version) => _seen[queueId] = version;

    public void Forget(string queueId) => _seen.Remove(queueId);

    public bool IsBehind(string queueId, long version) => !_seen.TryGetValue(queueId, out var seen) || seen < version;

    /// <summary>
    /// Sends the snapshot to every queue of <paramref name="queueIds"/> behind <paramref name="version"/>; the
    /// snapshot is built once, and only if some queue needs it.
    /// </summary>
    public void PublishTo(IEnumerable<string> queueIds, long version, Func<AgentSnapshot> snapshot, Action<string, AgentSnapshot> send)
    {
        ArgumentNullException.ThrowIfNull(queueIds);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(send);
        AgentSnapshot? built = null;
        foreach (var queueId in queueIds)
        {
            if (IsBehind(queueId, version))
            {
                built ??= snapshot();
                send(queueId, built);
                Saw(queueId, built.Version);
            }
        }
    }
}
