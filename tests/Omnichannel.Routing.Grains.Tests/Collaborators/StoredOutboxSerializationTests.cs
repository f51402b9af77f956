using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Orleans.Serialization;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class StoredOutboxSerializationTests
{
    [Fact]
    public void Pending_events_survive_the_state_serializer_with_every_field()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var change = new InteractionEventRecord(4, DateTimeOffset.UnixEpoch, RoutingEventType.OfferTimedOut, InteractionState.Offered, InteractionState.Queued, "sales", "ana", Actor.Engine, "expired");
        var record = new InteractionRecord { UnloggedEvents = [RoutingEvent.ForInteraction("i-1", change) with { Channel = "chat", Priority = 5 }, RoutingEvent.ForQueue(DateTimeOffset.UnixEpoch, "sales", 2, RoutingEventType.Closed, Actor.Engine, null)] };

        var copy = serializer.Deserialize<InteractionRecord>(serializer.SerializeToArray(record));

        Assert.NotNull(copy);
        Assert.Equal(record.UnloggedEvents, copy.UnloggedEvents);
    }
}
