using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class TransferOfferTests
{
    private readonly AgentRecord _record = SignedInAvailable("sales");
    private readonly AgentWorkload _workload = new(Config().Capacity.ToProfile());

    private static QueueEntry Entry(string interactionId, string channel) =>
        new(interactionId, "c1", channel, 5, T0, [], [], [], null, TimeSpan.Zero, true, []);

    [Fact]
    public void A_ready_agent_with_room_on_the_channel_takes_the_transfer() =>
        Assert.Null(TransferOffer.Refusal("a1", _record, _workload, Entry("i1", "chat")));

    [Fact]
    public void An_agent_that_is_away_or_held_is_not_available_for_a_transfer()
    {
        _record.TryHold("sales", "v1");
        Assert.Equal("agent 'a1' is not available for a transfer", TransferOffer.Refusal("a1", _record, _workload, Entry("i1", "chat")));

        _record.TakeHold();
        _record.ChangePresence(Presence.Away, At(1));
        Assert.Equal("agent 'a1' is not available for a transfer", TransferOffer.Refusal("a1", _record, _workload, Entry("i1", "chat")));
    }

    [Fact]
    public void An_agent_already_holding_the_interaction_or_without_room_refuses_it()
    {
        _workload.Reserve("i1", "chat", "sales", T0, TimeSpan.FromSeconds(15));

        Assert.Equal("agent 'a1' already holds 'i1'", TransferOffer.Refusal("a1", _record, _workload, Entry("i1", "chat")));
        Assert.Equal("agent 'a1' has no capacity for voice (BusyOnOtherChannels)", TransferOffer.Refusal("a1", _record, _workload, Entry("v1", "voice")));
    }

    [Fact]
    public void Without_a_queue_configuration_the_channel_sets_the_terms()
    {
        var entry = Entry("i1", "chat");

        var claim = TransferOffer.Claim(entry, null, new ChannelConfig("chat", "Chat", true, TimeSpan.FromSeconds(20)));

        Assert.True(claim.Granted);
        Assert.Same(entry, claim.Entry);
        Assert.Equal(QueueConfig.DefaultOfferTimeout, claim.OfferTimeout);
        Assert.True(claim.AutoAccept);
        Assert.Equal(TimeSpan.FromSeconds(20), claim.WrapUp);
    }

    [Fact]
    public void Without_any_configuration_the_transfer_is_offered_with_no_wrap_up()
    {
        var claim = TransferOffer.Claim(Entry("i1", "chat"), null, null);

        Assert.False(claim.AutoAccept);
        Assert.Equal(TimeSpan.Zero, claim.WrapUp);
    }
}
