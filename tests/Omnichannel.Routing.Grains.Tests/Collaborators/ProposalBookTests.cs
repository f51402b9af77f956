using Omnichannel.Routing.Grains.Queues;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class ProposalBookTests
{
    private readonly ProposalBook _book = new();

    [Fact]
    public void An_open_proposal_is_pending_for_the_interaction_and_awaited_by_the_agent()
    {
        var id = _book.Open("i1", "alice");

        Assert.True(_book.IsPending("i1"));
        Assert.True(_book.IsAwaiting("alice"));
        Assert.True(_book.IsProposedTo("i1", "alice"));
        Assert.True(_book.IsCurrent("i1", id));
        Assert.True(_book.TryGetInteractionOf("alice", out var interactionId));
        Assert.Equal("i1", interactionId);
    }

    [Fact]
    public void Withdrawing_a_proposal_frees_both_the_interaction_and_the_agent()
    {
        _book.Open("i1", "alice");

        Assert.True(_book.Withdraw("i1"));

        Assert.False(_book.IsPending("i1"));
        Assert.False(_book.IsAwaiting("alice"));
        Assert.Equal(0, _book.Count);
        Assert.False(_book.Withdraw("i1"));
    }

    [Fact]
    public void A_new_proposal_to_a_busy_agent_closes_its_previous_one_on_both_sides()
    {
        _book.Open("i1", "alice");

        _book.Open("i2", "alice");

        Assert.False(_book.IsPending("i1"));
        Assert.True(_book.IsProposedTo("i2", "alice"));
        Assert.Equal(1, _book.Count);
    }

    [Fact]
    public void Proposing_an_interaction_again_frees_the_agent_it_was_proposed_to()
    {
        _book.Open("i1", "alice");

        _book.Open("i1", "bob");

        Assert.False(_book.IsAwaiting("alice"));
        Assert.True(_book.IsProposedTo("i1", "bob"));
    }

    [Fact]
    public void An_answer_quoting_an_earlier_proposal_is_not_current()
    {
        var first = _book.Open("i1", "alice");
        _book.Withdraw("i1");
        var second = _book.Open("i1", "alice");

        Assert.NotEqual(first, second);
        Assert.False(_book.IsCurrent("i1", first));
        Assert.True(_book.IsCurrent("i1", second));
    }

    [Fact]
    public void An_interaction_is_promised_to_another_only_when_proposed_to_a_different_agent()
    {
        _book.Open("i1", "alice");

        Assert.True(_book.IsPromisedToAnother("i1", "bob"));
        Assert.False(_book.IsPromisedToAnother("i1", "alice"));
        Assert.False(_book.IsPromisedToAnother("i2", "bob"));
    }
}
