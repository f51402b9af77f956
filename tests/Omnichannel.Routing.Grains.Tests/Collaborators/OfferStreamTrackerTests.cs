using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class OfferStreamTrackerTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    private readonly OfferStreamTracker _tracker = new(Lease, Grace);

    [Fact]
    public void A_stream_is_new_when_first_attached_and_known_when_renewed()
    {
        var desktop = new RecordingDesktop();

        Assert.False(_tracker.Renew(desktop, T0));
        Assert.True(_tracker.Renew(desktop, At(10)));
        Assert.True(_tracker.AnyAttached);
        Assert.Equal(At(40), _tracker.LeaseEnds);
        Assert.Null(_tracker.GraceEnds(signedIn: true));
    }

    [Fact]
    public void The_grace_runs_from_the_end_of_the_last_lease_and_runs_out_once()
    {
        _tracker.Renew(new RecordingDesktop(), T0);

        _tracker.ExpireLeases(At(45));

        Assert.False(_tracker.AnyAttached);
        Assert.Null(_tracker.LeaseEnds);
        Assert.Equal(At(50), _tracker.GraceEnds(signedIn: true));
        Assert.False(_tracker.GraceRanOut(At(49), signedIn: true));
        Assert.True(_tracker.GraceRanOut(At(50), signedIn: true));
        Assert.False(_tracker.GraceRanOut(At(90), signedIn: true));
        Assert.Null(_tracker.GraceEnds(signedIn: true));
    }

    [Fact]
    public void The_earliest_lease_is_the_one_to_watch()
    {
        _tracker.Renew(new RecordingDesktop(), T0);
        _tracker.Renew(new RecordingDesktop(), At(10));

        Assert.Equal(At(30), _tracker.LeaseEnds);

        _tracker.ExpireLeases(At(31));

        Assert.Equal(At(40), _tracker.LeaseEnds);
        Assert.True(_tracker.AnyAttached);
    }

    [Fact]
    public void A_lease_still_running_keeps_the_stream_attached()
    {
        _tracker.Renew(new RecordingDesktop(), T0);

        _tracker.ExpireLeases(At(29));

        Assert.True(_tracker.AnyAttached);
        Assert.False(_tracker.GraceRanOut(At(100), signedIn: true));
    }

    [Fact]
    public void A_signed_out_agent_is_never_taken_as_gone_and_waits_for_no_grace()
    {
        _tracker.StartAbsenceIfNoneAttached(T0);

        Assert.Null(_tracker.GraceEnds(signedIn: false));
        Assert.False(_tracker.GraceRanOut(At(600), signedIn: false));
        Assert.True(_tracker.GraceRanOut(At(600), signedIn: true));
    }

    [Fact]
    public void Detaching_the_last_stream_of_a_signed_in_agent_starts_the_grace()
    {
        var first = new RecordingDesktop();
        var second = new RecordingDesktop();
        _tracker.Renew(first, T0);
        _tracker.Renew(second, T0);

        Assert.False(_tracker.Detach(first, At(5), signedIn: true));
        Assert.True(_tracker.Detach(second, At(6), signedIn: true));

        Assert.Equal(At(26), _tracker.GraceEnds(signedIn: true));
    }

    [Fact]
    public void Detaching_an_unknown_stream_or_as_a_signed_out_agent_starts_nothing()
    {
        var desktop = new RecordingDesktop();
        _tracker.Renew(desktop, T0);

        Assert.False(_tracker.Detach(new RecordingDesktop(), At(1), signedIn: true));
        Assert.False(_tracker.Detach(desktop, At(2), signedIn: false));
        Assert.False(_tracker.GraceRanOut(At(600), signedIn: true));
    }

    [Fact]
    public void An_absence_does_not_start_while_a_desktop_is_attached()
    {
        _tracker.Renew(new RecordingDesktop(), T0);

        _tracker.StartAbsenceIfNoneAttached(At(1));

        Assert.Equal(At(30), _tracker.LeaseEnds);
        Assert.Null(_tracker.GraceEnds(signedIn: true));
    }

    [Fact]
    public void Attaching_again_ends_the_absence()
    {
        _tracker.StartAbsenceIfNoneAttached(T0);

        _tracker.Renew(new RecordingDesktop(), At(5));
        _tracker.Detach(new RecordingDesktop(), At(6), signedIn: true);

        Assert.False(_tracker.GraceRanOut(At(30), signedIn: true));
    }

    [Fact]
    public void Every_attached_desktop_is_told_and_a_dropped_one_is_not()
    {
        var kept = new RecordingDesktop();
        var dropped = new RecordingDesktop();
        _tracker.Renew(kept, T0);
        _tracker.Renew(dropped, T0);
        _tracker.Detach(dropped, At(1), signedIn: true);

        _tracker.Notify(o => o.OnWithdrawn("i1", "timed_out"));

        Assert.Equal(["i1"], kept.Withdrawn);
        Assert.Empty(dropped.Withdrawn);
    }

    private sealed class RecordingDesktop : IOfferObserver
    {
        public List<string> Withdrawn { get; } = [];

        public Task OnOffered(OfferView offer) => Task.CompletedTask;

        public Task OnWithdrawn(string interactionId, string reason)
        {
            Withdrawn.Add(interactionId);
            return Task.CompletedTask;
        }

        public Task OnStatus(AgentStatusView status) => Task.CompletedTask;
    }
}
