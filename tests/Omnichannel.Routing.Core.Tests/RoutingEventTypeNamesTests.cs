namespace Omnichannel.Routing.Core.Tests;

public sealed class RoutingEventTypeNamesTests
{
    [Fact]
    public void Every_event_type_has_its_own_text_and_reads_back_as_itself()
    {
        var types = Enum.GetValues<RoutingEventType>();

        Assert.Equal(types.Length, types.Select(t => t.Name()).Distinct(StringComparer.Ordinal).Count());
        Assert.All(types, t => Assert.Equal(t, RoutingEventTypeNames.Parse(t.Name())));
    }

    [Theory]
    [InlineData(RoutingEventType.Routed, "routed")]
    [InlineData(RoutingEventType.OfferTimedOut, "offer_timed_out")]
    [InlineData(RoutingEventType.WrapUpEnded, "wrap_up_ended")]
    [InlineData(RoutingEventType.ReturnedOnStreamLost, "returned_on_stream_lost")]
    [InlineData(RoutingEventType.PreferredAgentFallback, "preferred_agent_fallback")]
    [InlineData(RoutingEventType.ChannelUpserted, "channel_upserted")]
    [InlineData(RoutingEventType.JourneyEntry, "journey_entry")]
    [InlineData(RoutingEventType.CustomerErased, "customer_erased")]
    public void The_stored_text_stays_what_earlier_versions_wrote(RoutingEventType type, string stored)
    {
        Assert.Equal(stored, type.Name());
    }

    [Fact]
    public void Text_no_version_wrote_is_refused_rather_than_guessed()
    {
        Assert.False(RoutingEventTypeNames.TryParse("Routed", out _));
        Assert.Throws<FormatException>(() => RoutingEventTypeNames.Parse("teleported"));
    }
}
