using Microsoft.Extensions.Options;
using Omnichannel.Routing.Api.Security;

namespace Omnichannel.Routing.Api.Tests.Security;

public sealed class WatchStreamLimitTests
{
    private readonly WatchStreamLimit _limit = new(Options.Create(new CallerLimitOptions { MaxWatchStreams = 2 }));

    [Fact]
    public void A_principal_opens_streams_up_to_its_limit_and_one_more_after_closing_one()
    {
        Assert.True(_limit.TryOpen("desk-1"));
        Assert.True(_limit.TryOpen("desk-1"));
        Assert.False(_limit.TryOpen("desk-1"));

        _limit.Close("desk-1");

        Assert.True(_limit.TryOpen("desk-1"));
    }

    [Fact]
    public void Each_principal_has_a_limit_of_its_own()
    {
        Assert.True(_limit.TryOpen("desk-1"));
        Assert.True(_limit.TryOpen("desk-1"));

        Assert.True(_limit.TryOpen("desk-2"));
    }
}
