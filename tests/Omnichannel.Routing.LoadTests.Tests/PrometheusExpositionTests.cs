namespace Omnichannel.Routing.LoadTests.Tests;

public sealed class PrometheusExpositionTests
{
    private const string Exposition = """
        # TYPE orleans_messaging_sent_messages_size_bytes_count counter
        orleans_messaging_sent_messages_size_bytes_count{otel_scope_name="Microsoft.Orleans",direction="Request"} 1200 1764500000000
        orleans_messaging_sent_messages_size_bytes_count{otel_scope_name="Microsoft.Orleans",direction="Response"} 1187.0 1764500000000
        orleans_messaging_sent_messages_size_bytes_count_bytes 99
        orleans_messaging_sent_messages_size_bytes_countly_else 5
        orleans_messaging_sent_messages_size_bytes_count 13
        """;

    [Fact]
    public void A_counter_is_summed_over_its_series_and_nothing_else_sharing_its_prefix_is_counted()
    {
        Assert.Equal(1200 + 1187 + 13, PrometheusExposition.Sum(Exposition, "orleans_messaging_sent_messages_size_bytes_count"));
    }

    [Fact]
    public void A_counter_the_exposition_lacks_sums_to_zero()
    {
        Assert.Equal(0, PrometheusExposition.Sum(Exposition, "orleans_messaging_received_messages_size_bytes_count"));
        Assert.False(PrometheusExposition.Has(Exposition, "orleans_messaging_received_messages_size_bytes_count"));
    }

    [Fact]
    public void With_a_label_only_the_series_carrying_it_are_summed()
    {
        Assert.Equal(1200, PrometheusExposition.Sum(Exposition, "orleans_messaging_sent_messages_size_bytes_count", "direction=\"Request\""));
        Assert.Equal(0, PrometheusExposition.Sum(Exposition, "orleans_messaging_sent_messages_size_bytes_count", "direction=\"Other\""));
    }
}
