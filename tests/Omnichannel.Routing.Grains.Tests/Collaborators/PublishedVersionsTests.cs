using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class PublishedVersionsTests
{
    private readonly PublishedVersions _published = new();
    private readonly List<(string Queue, long Version)> _sent = [];
    private int _built;

    private AgentSnapshot Snapshot(long version)
    {
        _built++;
        return new AgentSnapshot("a1", version, true, Presence.Available, false, ImmutableDictionary<string, int>.Empty, new CapacityConfig(1, []), ImmutableDictionary<string, int>.Empty, T0, null);
    }

    private void Publish(long version, params string[] queueIds) =>
        _published.PublishTo(queueIds, version, () => Snapshot(version), (queue, snapshot) => _sent.Add((queue, snapshot.Version)));

    [Fact]
    public void Every_queue_is_sent_the_first_version_from_one_snapshot()
    {
        Publish(3, "sales", "support");

        Assert.Equal([("sales", 3L), ("support", 3L)], _sent);
        Assert.Equal(1, _built);
    }

    [Fact]
    public void Only_queues_behind_the_version_are_sent_it()
    {
        _published.Saw("sales", 5);

        Publish(5, "sales", "support");
        Publish(5, "sales", "support");

        Assert.Equal([("support", 5L)], _sent);
    }

    [Fact]
    public void Nothing_is_built_when_every_queue_has_seen_the_version()
    {
        _published.Saw("sales", 8);

        Publish(6, "sales");

        Assert.Empty(_sent);
        Assert.Equal(0, _built);
        Assert.False(_published.IsBehind("sales", 8));
        Assert.True(_published.IsBehind("sales", 9));
    }

    [Fact]
    public void A_forgotten_queue_is_sent_the_version_again()
    {
        Publish(2, "sales");

        _published.Forget("sales");
        Publish(2, "sales");

        Assert.Equal([("sales", 2L), ("sales", 2L)], _sent);
    }
}
