using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Core;
using Orleans.Serialization;

namespace Omnichannel.Routing.Grains.Tests;

public sealed class QueueCandidateSerializationTests
{
    [Fact]
    public void A_queue_candidate_crosses_the_wire_unchanged_and_so_does_its_absence()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        QueueCandidate? candidate = new QueueCandidate("billing", "i1", 5, 0.5, new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero), 42);

        var copy = serializer.Deserialize<QueueCandidate?>(serializer.SerializeToArray(candidate));
        var none = serializer.Deserialize<QueueCandidate?>(serializer.SerializeToArray<QueueCandidate?>(null));

        Assert.Equal(candidate, copy);
        Assert.Null(none);
    }
}
