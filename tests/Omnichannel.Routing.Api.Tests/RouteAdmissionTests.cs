using Microsoft.Extensions.Options;

namespace Omnichannel.Routing.Api.Tests;

public sealed class RouteAdmissionTests
{
    [Fact]
    public void Routes_are_admitted_up_to_the_cap_and_refused_past_it_without_counting_the_refusal()
    {
        var admission = new RouteAdmission(Options.Create(new ApiOptions { MaxRoutesInFlight = 2 }));

        Assert.True(admission.TryEnter());
        Assert.True(admission.TryEnter());
        Assert.False(admission.TryEnter());
        Assert.Equal(2, admission.InFlight);
    }

    [Fact]
    public void A_finished_route_makes_room_for_the_next()
    {
        var admission = new RouteAdmission(Options.Create(new ApiOptions { MaxRoutesInFlight = 1 }));
        Assert.True(admission.TryEnter());
        Assert.False(admission.TryEnter());

        admission.Exit();

        Assert.True(admission.TryEnter());
        Assert.Equal(1, admission.InFlight);
    }

    [Fact]
    public async Task Concurrent_routes_never_exceed_the_cap()
    {
        var admission = new RouteAdmission(Options.Create(new ApiOptions { MaxRoutesInFlight = 10 }));
        using var start = new ManualResetEventSlim();

        var admitted = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return admission.TryEnter();
        })).Append(Task.Run(() =>
        {
            start.Set();
            return false;
        })));

        Assert.Equal(10, admitted.Count(a => a));
        Assert.Equal(10, admission.InFlight);
    }
}
