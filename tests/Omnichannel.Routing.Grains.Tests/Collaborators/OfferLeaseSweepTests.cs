using Microsoft.Extensions.Time.Testing;
using Omnichannel.Routing.Grains.Agents;
using static Omnichannel.Routing.Grains.Tests.Collaborators.AgentTestData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class OfferLeaseSweepTests : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _clock = new(T0);
    private readonly FakeTimeProvider _ticks = new(T0);
    private readonly List<string> _told = [];
    private readonly OfferLeaseSweep _sweep;

    public OfferLeaseSweepTests() => _sweep = new OfferLeaseSweep(_clock, Period, _ticks, _told.Add);

    [Fact]
    public void Only_the_agents_whose_lease_passed_are_told_and_each_once()
    {
        _sweep.Watch("alice", At(30));
        _sweep.Watch("bob", At(40));

        _clock.Advance(TimeSpan.FromSeconds(35));
        _sweep.Sweep();
        _sweep.Sweep();

        Assert.Equal(["alice"], _told);
        Assert.False(_sweep.IsWatching("alice"));
        Assert.True(_sweep.IsWatching("bob"));
    }

    [Fact]
    public void A_renewed_lease_is_not_taken_as_passed()
    {
        _sweep.Watch("alice", At(30));
        _sweep.Watch("alice", At(60));

        _clock.Advance(TimeSpan.FromSeconds(45));
        _sweep.Sweep();

        Assert.Empty(_told);
        Assert.Equal(1, _sweep.Watched);
    }

    [Fact]
    public void An_agent_with_no_stream_left_is_no_longer_watched()
    {
        _sweep.Watch("alice", At(30));
        _sweep.Watch("alice", null);

        _clock.Advance(TimeSpan.FromMinutes(5));
        _sweep.Sweep();

        Assert.Empty(_told);
        Assert.Equal(0, _sweep.Watched);
    }

    [Fact]
    public void The_sweep_runs_on_its_own_period()
    {
        _sweep.Watch("alice", At(30));
        _clock.Advance(TimeSpan.FromSeconds(31));

        _ticks.Advance(Period - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_told);

        _ticks.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["alice"], _told);
    }

    public void Dispose() => _sweep.Dispose();
}
