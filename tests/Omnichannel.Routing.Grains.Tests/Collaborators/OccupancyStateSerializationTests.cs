using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Core;
using Orleans.Serialization;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class OccupancyStateSerializationTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void An_agent_record_s_occupancy_survives_the_state_serializer_and_the_copier_with_every_field()
    {
        var record = new AgentRecord { Occupancy = BusyDay() };

        var serialized = _services.GetRequiredService<Serializer>().Deserialize<AgentRecord>(_services.GetRequiredService<Serializer>().SerializeToArray(record));
        var copied = _services.GetRequiredService<DeepCopier>().Copy(record);

        Assert.NotNull(serialized);
        foreach (var stored in new[] { serialized.Occupancy, copied.Occupancy })
        {
            Assert.NotNull(stored);
            AssertSame(record.Occupancy!, stored);
        }
    }

    [Fact]
    public void A_restored_tracker_gives_the_figures_of_the_one_that_was_stored()
    {
        var tracker = new OccupancyTracker(T0);
        var state = BusyDay(tracker);
        var serializer = _services.GetRequiredService<Serializer>();

        var restored = new OccupancyTracker(Assert.IsType<OccupancyState>(serializer.Deserialize<OccupancyState>(serializer.SerializeToArray(state))));

        var now = T0.AddHours(2);
        Assert.Equal(tracker.Figures(now).OccupancyPercentRecent, restored.Figures(now).OccupancyPercentRecent);
        Assert.Equal(tracker.Figures(now).OccupancyPercentToday, restored.Figures(now).OccupancyPercentToday);
        Assert.Equal(tracker.Figures(now).ActivityTime, restored.Figures(now).ActivityTime);
    }

    // An hour of a change every second (so some stretches are merged) and one handled chat.
    private static OccupancyState BusyDay(OccupancyTracker? tracker = null)
    {
        tracker ??= new OccupancyTracker(T0);
        for (var s = 0; s < 3600; s++)
        {
            tracker.Observe(T0.AddSeconds(s), true, Presence.Available, s % 2 == 0 ? AgentActivity.Busy : AgentActivity.Idle, occupied: s % 2 == 0);
        }

        tracker.Handled("chat", TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(5), T0.AddSeconds(3600));
        return tracker.Export();
    }

    private static void AssertSame(OccupancyState expected, OccupancyState actual)
    {
        Assert.Equal(expected.Day, actual.Day);
        Assert.Equal(expected.AccountedUntil, actual.AccountedUntil);
        Assert.Equal(expected.SignedIn, actual.SignedIn);
        Assert.Equal(expected.Presence, actual.Presence);
        Assert.Equal(expected.Activity, actual.Activity);
        Assert.Equal(expected.Occupied, actual.Occupied);
        Assert.Equal(expected.ActivitySince, actual.ActivitySince);
        Assert.Equal(expected.StretchStart, actual.StretchStart);
        Assert.Equal(expected.PresenceTime, actual.PresenceTime);
        Assert.Equal(expected.ActivityTime, actual.ActivityTime);
        Assert.Equal(expected.SignedInTime, actual.SignedInTime);
        Assert.Equal(expected.OccupiedTime, actual.OccupiedTime);
        Assert.Equal(expected.Handling, actual.Handling);
        Assert.Contains(expected.RecentSignedInStretches, s => s.MergedOccupiedTime is not null);
        Assert.Equal(expected.RecentSignedInStretches, actual.RecentSignedInStretches);
    }
}
