using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Queues;
using static Omnichannel.Routing.Grains.Tests.Collaborators.QueueTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class QueueAnswersTests
{
    private static readonly OverflowConfig ToSpare = new("spare", TimeSpan.Zero, OverflowMode.Instead);

    [Fact]
    public void A_queue_never_configured_does_not_exist()
    {
        Assert.Equal(EnqueueOutcome.UnknownQueue, QueueAnswers.Admission(QueueId, null, 0, "chat", [], admitted: false).Outcome);
    }

    [Fact]
    public void A_channel_the_queue_does_not_take_is_refused_even_when_admitted()
    {
        Assert.Equal(EnqueueOutcome.ChannelNotAccepted, QueueAnswers.Admission(QueueId, Config(), 0, "email", [], admitted: true).Outcome);
    }

    [Fact]
    public void An_open_queue_with_room_admits()
    {
        var answer = QueueAnswers.Admission(QueueId, Config(maxSize: 2), 1, "chat", [], admitted: false);

        Assert.Equal(EnqueueOutcome.Queued, answer.Outcome);
    }

    [Fact]
    public void A_full_queue_refuses_and_a_closed_one_too()
    {
        Assert.Equal(EnqueueOutcome.Full, QueueAnswers.Admission(QueueId, Config(maxSize: 2), 2, "chat", [], admitted: false).Outcome);
        Assert.Equal(EnqueueOutcome.Closed, QueueAnswers.Admission(QueueId, Config(closed: true), 0, "chat", [], admitted: false).Outcome);
    }

    [Fact]
    public void A_full_or_closed_queue_with_overflow_sends_to_its_target()
    {
        var full = QueueAnswers.Admission(QueueId, Config(maxSize: 1, overflow: ToSpare), 1, "chat", [], admitted: false);
        var closed = QueueAnswers.Admission(QueueId, Config(closed: true, overflow: ToSpare), 0, "chat", [], admitted: false);

        Assert.Equal((EnqueueOutcome.Overflow, "spare"), (full.Outcome, full.OverflowQueueId));
        Assert.Equal((EnqueueOutcome.Overflow, "spare"), (closed.Outcome, closed.OverflowQueueId));
    }

    [Fact]
    public void An_interaction_that_overflowed_from_here_before_is_refused_rather_than_sent_round_again()
    {
        var answer = QueueAnswers.Admission(QueueId, Config(maxSize: 1, overflow: ToSpare), 1, "chat", [QueueId], admitted: false);

        Assert.Equal(EnqueueOutcome.Full, answer.Outcome);
    }

    [Fact]
    public void An_interaction_the_engine_already_accepted_is_taken_by_a_full_closed_queue()
    {
        var answer = QueueAnswers.Admission(QueueId, Config(maxSize: 1, closed: true), 5, "chat", [], admitted: true);

        Assert.Equal(EnqueueOutcome.Queued, answer.Outcome);
    }

    [Fact]
    public void A_granted_claim_takes_the_default_offer_timeout_and_the_channels_terms()
    {
        var entry = Entry("i1");
        var channel = new ChannelConfig("chat", "Chat", AutoAccept: true, WrapUp: TimeSpan.FromSeconds(30));

        var claim = QueueAnswers.Granted(entry, Waiting(entry, reservedFor: null), Config(), channel);

        Assert.True(claim.Granted);
        Assert.Equal(QueueConfig.DefaultOfferTimeout, claim.OfferTimeout);
        Assert.True(claim.AutoAccept);
        Assert.Equal(TimeSpan.FromSeconds(30), claim.WrapUp);
    }

    [Fact]
    public void A_granted_claim_takes_the_queues_own_terms_and_names_the_preferred_agent_it_waited_for()
    {
        var entry = Entry("i1");

        var claim = QueueAnswers.Granted(entry, Waiting(entry, reservedFor: "alice"), Config(offerTimeout: TimeSpan.FromSeconds(9), wrapUp: TimeSpan.FromSeconds(4)), null);

        Assert.Equal(TimeSpan.FromSeconds(9), claim.OfferTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), claim.WrapUp);
        Assert.False(claim.AutoAccept);
        Assert.Equal("alice", claim.Entry!.PreferredAgentId);
    }

    private static WaitingInteraction Waiting(QueueEntry entry, string? reservedFor) =>
        new(entry.InteractionId, entry.Channel, entry.BasePriority, entry.Arrival, 1, entry.ToDemand(), entry.ToDemand(), 0, new HashSet<string>(), reservedFor);

    [Fact]
    public void A_shard_holds_its_share_of_the_queues_limit_and_answers_how_many_shards_there_are()
    {
        var sharded = Config(maxSize: 10) with { Shards = 4 };

        Assert.Equal(3, sharded.MaxSizePerShard);
        Assert.Equal((EnqueueOutcome.Queued, 4), (QueueAnswers.Admission(QueueId, sharded, 2, "chat", [], admitted: false) is var a ? (a.Outcome, a.Shards) : default));
        Assert.Equal(EnqueueOutcome.Full, QueueAnswers.Admission(QueueId, sharded, 3, "chat", [], admitted: false).Outcome);
        Assert.Equal(1, QueueAnswers.Admission(QueueId, Config(maxSize: 10), 2, "chat", [], admitted: false).Shards);
    }
}
