using Google.Protobuf.Collections;
using Grpc.Core;

namespace Omnichannel.Routing.Api.Tests.Security;

public sealed class CardNumbersTests
{
    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("card 4111 1111 1111 1111 please")]
    [InlineData("5500-0000-0000-0004")]
    [InlineData("378282246310005")]
    [InlineData("6011000990139424")]
    public void A_luhn_valid_run_of_13_to_19_digits_is_a_card_number(string text) => Assert.True(CardNumbers.Contains(text));

    [Theory]
    [InlineData("4111111111111112")]
    [InlineData("+4915112345678")]
    [InlineData("order 123456789012")]
    [InlineData("41111111111111111111111")]
    [InlineData("0000000000000000")]
    [InlineData("4111  1111 1111 1111")]
    [InlineData("")]
    public void Other_digits_are_not(string text) => Assert.False(CardNumbers.Contains(text));

    [Fact]
    public void A_card_number_in_a_context_value_is_refused_naming_the_key_and_never_echoed()
    {
        var context = new MapField<string, string> { ["note"] = "fine", ["payment"] = "4111 1111 1111 1111" };

        var refused = Assert.Throws<RpcException>(() => FieldRules.Context(context, "context"));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("context[payment]:", refused.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_card_number_in_free_text_is_refused_naming_the_field()
    {
        var refused = Assert.Throws<RpcException>(() => FieldRules.Text("paid with 5500000000000004", "reason", FieldRules.MaxReasonLength));

        Assert.StartsWith("reason:", refused.Status.Detail, StringComparison.Ordinal);
    }
}
