using Omnichannel.Routing.Cli.CommandLine;

namespace Omnichannel.Routing.Cli.Tests.CommandLine;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("1s", 1_000)]
    [InlineData("30s", 30_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h2m3s", 3_723_000)]
    [InlineData("0s", 0)]
    [InlineData("90", 90_000)]
    [InlineData("0.25", 250)]
    public void Operators_durations_read_as_the_time_they_say(string text, double milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("1x")]
    [InlineData("-1s")]
    [InlineData("-5")]
    [InlineData("s")]
    [InlineData("1m30")]
    [InlineData("1 s")]
    [InlineData("Infinity")]
    [InlineData("NaN")]
    public void Text_that_is_not_a_duration_is_refused(string text)
    {
        Assert.False(DurationText.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1_000, "1s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_723_000, "1h2m3s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(-2_000, "-2s")]
    public void Durations_print_in_the_grammar_they_are_typed_in(double milliseconds, string expected)
    {
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(999)]
    [InlineData(61_250)]
    [InlineData(7_384_500)]
    public void A_printed_duration_reads_back_as_itself(double milliseconds)
    {
        var duration = TimeSpan.FromMilliseconds(milliseconds);
        Assert.True(DurationText.TryParse(DurationText.Format(duration), out var back));
        Assert.Equal(duration, back);
    }

    [Fact]
    public void An_unset_protobuf_duration_prints_as_nothing()
    {
        Assert.Equal(string.Empty, DurationText.Format((Google.Protobuf.WellKnownTypes.Duration?)null));
        Assert.Equal("2m", DurationText.Format(Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(2))));
    }
}
