using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class OfferViewBookTests
{
    private readonly OfferViewBook _book = new();
    private readonly List<string> _fetched = [];

    private Task<InteractionSnapshot?> SnapshotOf(string interactionId)
    {
        _fetched.Add(interactionId);
        return Task.FromResult<InteractionSnapshot?>(interactionId == "gone" ? null : Interaction(interactionId, InteractionState.Offered, "a1"));
    }

    private static WorkItem Offer(string interactionId, double since) =>
        new(interactionId, "chat", "sales", WorkPhase.Offered, At(since), At(since + 15));

    [Fact]
    public async Task An_offer_shown_before_is_answered_as_it_was_shown()
    {
        var shown = new OfferView(Interaction("i1", InteractionState.Offered, "a1"), T0, At(15), false, []);
        _book.Remember("i1", shown);

        var offers = await _book.OutstandingAsync([Offer("i1", 0)], SnapshotOf);

        Assert.Same(shown, Assert.Single(offers));
        Assert.Empty(_fetched);
    }

    [Fact]
    public async Task An_offer_this_activation_never_made_is_rebuilt_once_from_its_interaction()
    {
        var first = await _book.OutstandingAsync([Offer("i1", 0)], SnapshotOf);
        var again = await _book.OutstandingAsync([Offer("i1", 0)], SnapshotOf);

        var view = Assert.Single(first);
        Assert.Equal("i1", view.Interaction.InteractionId);
        Assert.Equal(T0, view.OfferedAt);
        Assert.Equal(At(15), view.ExpiresAt);
        Assert.False(view.AutoAccepted);
        Assert.Same(view, Assert.Single(again));
        Assert.Equal(["i1"], _fetched);
    }

    [Fact]
    public async Task Offers_come_oldest_first_and_one_whose_interaction_is_gone_is_left_out()
    {
        var offers = await _book.OutstandingAsync([Offer("late", 9), Offer("gone", 1), Offer("early", 3)], SnapshotOf);

        Assert.Equal(["early", "late"], offers.Select(o => o.Interaction.InteractionId));
    }

    [Fact]
    public async Task A_forgotten_offer_is_rebuilt_from_its_interaction()
    {
        _book.Remember("i1", new OfferView(Interaction("i1", InteractionState.Offered, "a1"), T0, At(15), true, []));

        _book.Forget("i1");
        var offers = await _book.OutstandingAsync([Offer("i1", 0)], SnapshotOf);

        Assert.False(Assert.Single(offers).AutoAccepted);
        Assert.Equal(["i1"], _fetched);
    }
}
