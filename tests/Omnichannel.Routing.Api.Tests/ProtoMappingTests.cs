using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.Abstractions;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests;

public sealed class ProtoMappingTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 14, 9, 26, 53, TimeSpan.FromHours(2));

    [Fact]
    public void Every_interaction_state_maps_to_the_proto_state_of_the_same_name_and_an_unknown_one_to_unspecified()
    {
        foreach (var state in System.Enum.GetValues<Core.InteractionState>())
        {
            Assert.Equal(state.ToString(), state.ToProto().ToString());
        }

        Assert.Equal(Proto.InteractionState.Unspecified, ((Core.InteractionState)0).ToProto());
    }

    [Fact]
    public void Presence_activity_and_actor_kinds_map_by_name()
    {
        foreach (var presence in System.Enum.GetValues<Core.Presence>())
        {
            Assert.Equal(presence.ToString(), presence.ToProto().ToString());
        }

        foreach (var activity in System.Enum.GetValues<Core.AgentActivity>())
        {
            Assert.Equal(activity.ToString(), activity.ToProto().ToString());
        }

        foreach (var kind in System.Enum.GetValues<ActorKind>())
        {
            Assert.Equal(kind.ToString(), new Actor(kind, "x").ToProto().Kind.ToString());
        }
    }

    [Fact]
    public void Selection_policies_round_trip_and_unspecified_means_longest_idle()
    {
        foreach (var policy in System.Enum.GetValues<Core.SelectionPolicy>())
        {
            Assert.Equal(policy, policy.ToProto().ToCore());
        }

        Assert.Equal(Core.SelectionPolicy.LongestIdle, Proto.AgentSelectionPolicy.Unspecified.ToCore());
    }

    [Fact]
    public void Timestamps_keep_the_instant_to_the_tick_and_times_never_recorded_are_unset()
    {
        var created = Created.AddTicks(1234567);
        var entry = new JourneyEntryView("i-1", "chat", "q-1", AgentId: null, Core.InteractionState.Abandoned, created, ConnectedAt: null, EndedAt: default(DateTimeOffset), Disposition: null, ImmutableDictionary<string, string>.Empty, JourneyId: null, EndReason: null);

        var message = entry.ToProto();

        Assert.Equal(created, message.CreateTime.ToDateTimeOffset());
        Assert.Equal(created.UtcDateTime, message.CreateTime.ToDateTime());
        Assert.Null(message.ConnectTime);
        Assert.Null(message.EndTime);
        Assert.Equal(string.Empty, message.AgentId);
        Assert.Equal(Proto.InteractionState.Abandoned, message.State);
    }

    [Fact]
    public void Queue_durations_round_trip_through_the_request_rules()
    {
        var config = new QueueConfig(
            "q-1",
            "Queue",
            ["chat"],
            Core.SelectionPolicy.BestSkill,
            new ServiceLevelConfig(95.5, TimeSpan.FromSeconds(25.5)),
            [new RelaxationStepConfig(TimeSpan.FromSeconds(30), "billing", null), new RelaxationStepConfig(TimeSpan.FromMinutes(2), "billing", 3)],
            new OverflowConfig("q-2", TimeSpan.FromMinutes(5), OverflowMode.Also),
            MaxSize: 0,
            Closed: false,
            OfferTimeout: TimeSpan.FromMilliseconds(1500),
            WrapUp: null,
            AgingRate: 2,
            PreferActiveAgent: false);

        var message = config.ToProto();

        Assert.Equal(config.ServiceLevel.Threshold, FieldRules.Duration(message.ServiceLevel.Threshold, "threshold", TimeSpan.Zero, TimeSpan.FromHours(1)));
        Assert.Equal(config.OfferTimeout, FieldRules.Duration(message.OfferTimeout, "offer_timeout", TimeSpan.Zero, TimeSpan.FromHours(1)));
        Assert.Equal(config.Overflow!.After, message.Overflow.After.ToTimeSpan());
        Assert.Equal(Proto.OverflowMode.Also, message.Overflow.Mode);
        Assert.Null(message.WrapUp);
        Assert.True(message.RelaxationSteps[0].Remove);
        Assert.Equal(0, message.RelaxationSteps[0].Level);
        Assert.False(message.RelaxationSteps[1].Remove);
        Assert.Equal(3, message.RelaxationSteps[1].Level);
        Assert.True(message.DisableActiveAgentPreference);
        Assert.Equal(Proto.AgentSelectionPolicy.BestSkill, message.Policy);
    }

    [Fact]
    public void An_agent_status_without_recorded_times_leaves_them_unset()
    {
        var status = new AgentStatusView("a-1", SignedIn: false, Core.Presence.Offline, Core.AgentActivity.SignedOut, [], 0, 100, [], PresenceSince: default, IdleSince: Created);

        var message = status.ToProto();

        Assert.Null(message.PresenceSince);
        Assert.Equal(Timestamp.FromDateTimeOffset(Created), message.IdleSince);
        Assert.Equal(Proto.Presence.Offline, message.Presence);
        Assert.Equal(Proto.AgentActivity.SignedOut, message.Activity);
    }
}
