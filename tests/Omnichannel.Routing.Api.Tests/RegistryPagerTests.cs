using System.Text;
using Grpc.Core;

namespace Omnichannel.Routing.Api.Tests;

public sealed class RegistryPagerTests
{
    private static readonly string[] Ids = ["b", "a", "d", "c", "e", "ä", "a-1"];

    [Fact]
    public void Paging_with_each_returned_token_visits_every_id_once_in_ordinal_order()
    {
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (ids, next) = RegistryPager.PageOf(Ids, 2, token);
            seen.AddRange(ids);
            token = next;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(Ids.Order(StringComparer.Ordinal), seen);
        Assert.Equal(4, pages);
    }

    [Fact]
    public void The_last_page_has_no_token_and_a_page_that_fits_exactly_needs_no_more()
    {
        var (ids, next) = RegistryPager.PageOf(["a", "b"], 2, null);

        Assert.Equal(["a", "b"], ids);
        Assert.Empty(next);
    }

    [Fact]
    public void Tokens_are_url_safe_and_unpadded()
    {
        // The token of "a?>" carries a '+' in standard base64.
        Assert.Contains("+", Convert.ToBase64String(Encoding.UTF8.GetBytes("after:a?>")), StringComparison.Ordinal);
        var (_, token) = RegistryPager.PageOf(["a?>", "a?>~", "zz"], 1, null);

        Assert.DoesNotContain("+", token, StringComparison.Ordinal);
        Assert.DoesNotContain("/", token, StringComparison.Ordinal);
        Assert.DoesNotContain("=", token, StringComparison.Ordinal);
        Assert.Equal(["a?>~"], RegistryPager.PageOf(["a?>", "a?>~", "zz"], 1, token).Ids);
    }

    [Fact]
    public void A_token_from_the_earlier_hand_written_encoding_still_reads()
    {
        var earlier = Convert.ToBase64String(Encoding.UTF8.GetBytes("after:b")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(["c", "d"], RegistryPager.PageOf(Ids, 2, earlier).Ids);
    }

    [Theory]
    [InlineData("not a token!")]
    [InlineData("YWJj")]
    [InlineData("a")]
    public void A_token_the_service_did_not_issue_is_invalid(string token)
    {
        var error = Assert.Throws<RpcException>(() => RegistryPager.PageOf(Ids, 2, token));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("page_token:", error.Status.Detail, StringComparison.Ordinal);
    }
}
