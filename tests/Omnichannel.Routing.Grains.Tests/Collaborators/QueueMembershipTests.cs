using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class QueueMembershipTests
{
    private readonly Dictionary<string, IQueueGrain> _queues = new(StringComparer.Ordinal);
    private readonly QueueMembership _membership;

    public QueueMembershipTests() => _membership = new QueueMembership("a1", Queue);

    private IQueueGrain Queue(string queueId)
    {
        if (!_queues.TryGetValue(queueId, out var queue))
        {
            queue = Substitute.For<IQueueGrain>();
            _queues[queueId] = queue;
        }

        return queue;
    }

    private static AgentSnapshot Snapshot(long version) =>
        new("a1", version, true, Presence.Available, false, ImmutableDictionary<string, int>.Empty, new CapacityConfig(1, []), ImmutableDictionary<string, int>.Empty, T0, null);

    private static QueueCandidate Waiting(string queueId, string interactionId, int priority, double waitedSeconds) =>
        new(queueId, interactionId, priority, 0, T0.AddSeconds(-waitedSeconds), 1);

    [Fact]
    public async Task Joining_leaves_the_dropped_queues_and_joins_every_current_one()
    {
        var snapshot = Snapshot(4);

        await _membership.JoinAsync(["sales", "billing"], ["sales", "support"], snapshot);

        await Queue("billing").Received(1).RemoveMember("a1");
        await Queue("sales").Received(1).AddMember(snapshot);
        await Queue("support").Received(1).AddMember(snapshot);
        await Queue("sales").DidNotReceive().RemoveMember(Arg.Any<string>());
    }

    [Fact]
    public async Task A_queue_joined_at_a_version_is_not_sent_that_version_again()
    {
        await _membership.JoinAsync([], ["sales"], Snapshot(4));

        _membership.Publish(["sales", "support"], 4, () => Snapshot(4));
        _membership.Publish(["sales", "support"], 5, () => Snapshot(5));

        await Queue("sales").Received(1).UpdateMember(Arg.Is<AgentSnapshot>(s => s.Version == 5));
        await Queue("sales").DidNotReceive().UpdateMember(Arg.Is<AgentSnapshot>(s => s.Version == 4));
        await Queue("support").Received(1).UpdateMember(Arg.Is<AgentSnapshot>(s => s.Version == 4));
    }

    [Fact]
    public async Task A_queue_that_lost_its_view_is_sent_the_snapshot_only_while_the_agent_is_its_member()
    {
        await _membership.JoinAsync([], ["sales"], Snapshot(4));

        await _membership.RefreshAsync("sales", member: true, () => Snapshot(4));
        await _membership.RefreshAsync("gone", member: false, () => Snapshot(4));

        await Queue("sales").Received(1).UpdateMember(Arg.Is<AgentSnapshot>(s => s.Version == 4));
        await Queue("gone").DidNotReceive().UpdateMember(Arg.Any<AgentSnapshot>());
    }

    [Fact]
    public async Task The_best_waiting_interaction_across_the_queues_is_the_one_of_highest_effective_priority()
    {
        var snapshot = Snapshot(2);
        Queue("sales").Peek(snapshot).Returns(Waiting("sales", "low", 1, 30));
        Queue("vip").Peek(snapshot).Returns(Waiting("vip", "high", 9, 5));
        Queue("empty").Peek(snapshot).Returns((QueueCandidate?)null);

        var best = await _membership.BestWaitingAsync(["sales", "vip", "empty"], snapshot, new FakeTimeProvider(T0));

        Assert.Equal(("vip", "high"), (best!.Value.QueueId, best.Value.InteractionId));
        _membership.Publish(["sales", "vip", "empty"], 2, () => Snapshot(2));
        await Queue("sales").DidNotReceive().UpdateMember(Arg.Any<AgentSnapshot>());
    }

    [Fact]
    public async Task Nothing_is_chosen_when_no_queue_has_anything_waiting()
    {
        var snapshot = Snapshot(2);
        Queue("sales").Peek(snapshot).Returns((QueueCandidate?)null);
        Queue("sales").ClaimBest(snapshot).Returns((ClaimResult?)null);

        Assert.Null(await _membership.BestWaitingAsync(["sales"], snapshot, new FakeTimeProvider(T0)));
        Assert.Null(await _membership.ClaimBestAsync(["sales"], snapshot, new FakeTimeProvider(T0)));
    }

    [Fact]
    public async Task A_queue_that_answered_a_claim_or_a_decline_has_seen_that_version()
    {
        var snapshot = Snapshot(6);
        Queue("sales").Claim(snapshot, "i1").Returns(ClaimResult.Refused("taken"));

        var claim = await _membership.ClaimAsync("sales", snapshot, "i1");
        await _membership.DeclineAsync("support", snapshot, "i2", 11);
        _membership.Publish(["sales", "support"], 6, () => Snapshot(6));

        Assert.False(claim.Granted);
        await Queue("support").Received(1).Decline(snapshot, "i2", 11);
        await Queue("sales").DidNotReceive().UpdateMember(Arg.Any<AgentSnapshot>());
        await Queue("support").DidNotReceive().UpdateMember(Arg.Any<AgentSnapshot>());
    }

    [Fact]
    public async Task An_agent_in_one_queue_claims_its_best_in_one_call_and_that_queue_has_seen_the_version()
    {
        var snapshot = Snapshot(5);
        var granted = new ClaimResult(true, null, TimeSpan.FromSeconds(20), false, TimeSpan.Zero, null);
        Queue("sales").ClaimBest(snapshot).Returns(granted);

        var claim = await _membership.ClaimBestAsync(["sales"], snapshot, new FakeTimeProvider(T0));
        _membership.Publish(["sales"], 5, () => Snapshot(5));

        Assert.Equal(new QueueClaim("sales", granted), claim);
        await Queue("sales").DidNotReceiveWithAnyArgs().Peek(default!);
        await Queue("sales").DidNotReceiveWithAnyArgs().Claim(default!, default!);
        await Queue("sales").DidNotReceive().UpdateMember(Arg.Any<AgentSnapshot>());
    }

    [Fact]
    public async Task An_agent_in_two_queues_peeks_both_and_claims_the_better_from_its_queue()
    {
        var snapshot = Snapshot(2);
        Queue("sales").Peek(snapshot).Returns(Waiting("sales", "low", 1, 30));
        Queue("vip").Peek(snapshot).Returns(Waiting("vip", "high", 9, 5));
        Queue("vip").Claim(snapshot, "high").Returns(ClaimResult.Refused("taken"));

        var claim = await _membership.ClaimBestAsync(["sales", "vip"], snapshot, new FakeTimeProvider(T0));

        Assert.Equal("vip", claim!.QueueKey);
        Assert.False(claim.Result.Granted);
        await Queue("sales").DidNotReceiveWithAnyArgs().Claim(default!, default!);
        await Queue("sales").DidNotReceiveWithAnyArgs().ClaimBest(default!);
        await Queue("vip").DidNotReceiveWithAnyArgs().ClaimBest(default!);
    }

    [Fact]
    public async Task An_agent_in_one_sharded_queue_peeks_every_shard_and_claims_from_the_shard_holding_the_best()
    {
        var snapshot = Snapshot(3);
        await JoinHotWithTheBestInShard2Async(snapshot);
        Queue("hot#2").Claim(snapshot, "in-shard-2").Returns(ClaimResult.Refused("taken"));

        var claim = await _membership.ClaimBestAsync(["hot"], snapshot, new FakeTimeProvider(T0));

        Assert.Equal("hot#2", claim!.QueueKey);
        await Queue("hot").Received(1).Peek(snapshot);
        await Queue("hot#1").Received(1).Peek(snapshot);
        await Queue("hot").DidNotReceiveWithAnyArgs().ClaimBest(default!);
    }

    [Fact]
    public async Task Joining_a_sharded_queue_joins_every_shard_and_peeks_every_shard()
    {
        var snapshot = Snapshot(3);

        await JoinHotWithTheBestInShard2Async(snapshot);
        var best = await _membership.BestWaitingAsync(["hot"], snapshot, new FakeTimeProvider(T0));

        await Queue("hot").Received(1).AddMember(snapshot);
        await Queue("hot#1").Received(1).AddMember(snapshot);
        await Queue("hot#2").Received(1).AddMember(snapshot);
        await Queue("hot#1").Received(1).Peek(snapshot);
        Assert.Equal(("in-shard-2", 2), (best!.Value.InteractionId, best.Value.Shard));
        Assert.Equal(3, _membership.ShardsOf("hot"));
    }

    [Fact]
    public async Task A_queue_resharded_while_the_agent_was_a_member_is_joined_again_on_its_refresh()
    {
        await _membership.JoinAsync([], ["hot"], Snapshot(1));
        Queue("hot").GetConfig().Returns(Sharded("hot", 2));

        await _membership.RefreshAsync("hot", member: true, () => Snapshot(2));
        _membership.Publish(["hot"], 3, () => Snapshot(3));

        await Queue("hot#1").Received(1).AddMember(Arg.Is<AgentSnapshot>(s => s.Version == 2));
        await Queue("hot#1").Received(1).UpdateMember(Arg.Is<AgentSnapshot>(s => s.Version == 3));
    }

    [Fact]
    public async Task Leaving_a_sharded_queue_leaves_every_shard()
    {
        Queue("hot").GetConfig().Returns(Sharded("hot", 2));
        await _membership.JoinAsync([], ["hot"], Snapshot(1));

        await _membership.JoinAsync(["hot"], [], Snapshot(2));

        await Queue("hot").Received(1).RemoveMember("a1");
        await Queue("hot#1").Received(1).RemoveMember("a1");
    }

    /// <summary>The agent joins queue "hot", split three ways, whose shard 2 holds the best waiting interaction.</summary>
    private async Task JoinHotWithTheBestInShard2Async(AgentSnapshot snapshot)
    {
        Queue("hot").GetConfig().Returns(Sharded("hot", 3));
        await _membership.JoinAsync([], ["hot"], snapshot);
        Queue("hot#2").Peek(snapshot).Returns(Waiting("hot", "in-shard-2", 9, 1) with { Shard = 2 });
    }

    private static QueueConfig Sharded(string queueId, int shards) =>
        new(queueId, queueId, ["chat"], SelectionPolicy.LongestIdle, ServiceLevelConfig.Default, [], null, 0, false, QueueConfig.DefaultOfferTimeout, null, 1.0, true, shards);
}
