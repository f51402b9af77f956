using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.Abstractions;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api;

/// <summary>Maps between grain types and proto messages; validation happens before, in the services.</summary>
public static class ProtoMapping
{
    public static Proto.Interaction ToProto(this InteractionSnapshot s, bool withHistory = true)
    {
        ArgumentNullException.ThrowIfNull(s);
        var m = new Proto.Interaction
        {
            InteractionId = s.InteractionId,
            CustomerId = s.CustomerId,
            Channel = s.Channel,
            QueueId = s.QueueId,
            State = s.State.ToProto(),
            BasePriority = s.BasePriority,
            AgentId = s.AgentId ?? string.Empty,
            PreferredAgentId = s.PreferredAgentId ?? string.Empty,
            CreateTime = Timestamp.FromDateTimeOffset(s.CreatedAt),
            ArrivalTime = Timestamp.FromDateTimeOffset(s.ArrivalAt),
            OfferTime = ToTimestamp(s.OfferedAt),
            ConnectTime = ToTimestamp(s.ConnectedAt),
            WrapUpTime = ToTimestamp(s.WrapUpAt),
            EndTime = ToTimestamp(s.EndedAt),
            EstimatedWait = s.EstimatedWait is { } w ? Duration.FromTimeSpan(w) : null,
            QueuePosition = s.QueuePosition,
            Disposition = s.Disposition ?? string.Empty,
            JourneyId = s.JourneyId ?? string.Empty,
            RequestId = s.RequestId ?? string.Empty,
            EndReason = s.EndReason ?? string.Empty,
            ConsultAgentId = s.ConsultAgentId ?? string.Empty,
            ConsultQueueId = s.ConsultQueueId ?? string.Empty,
        };
        m.RequiredSkills.AddRange(s.RequiredSkills.Select(r => new Proto.SkillRequirement { Skill = r.Skill, MinimumLevel = r.MinimumLevel }));
        m.PreferredSkills.AddRange(s.PreferredSkills);
        m.Context.Add(s.Context);
        m.ExcludedAgentIds.AddRange(s.ExcludedAgents);
        if (withHistory)
        {
            m.History.AddRange(s.History.Select(ToProto));
        }

        return m;
    }

    public static Proto.InteractionEvent ToProto(this InteractionEventRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new Proto.InteractionEvent
        {
            Sequence = e.Sequence,
            Time = Timestamp.FromDateTimeOffset(e.Time),
            Type = Core.RoutingEventTypeNames.Name(e.Type),
            FromState = e.From?.ToProto() ?? Proto.InteractionState.Unspecified,
            ToState = e.To.ToProto(),
            QueueId = e.QueueId ?? string.Empty,
            AgentId = e.AgentId ?? string.Empty,
            Actor = e.Actor.ToProto(),
            Detail = e.Detail ?? string.Empty,
        };
    }

    public static Proto.Actor ToProto(this Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new Proto.Actor
        {
            Kind = actor.Kind switch
            {
                ActorKind.Frontend => Proto.ActorKind.Frontend,
                ActorKind.Agent => Proto.ActorKind.Agent,
                ActorKind.Supervisor => Proto.ActorKind.Supervisor,
                ActorKind.Admin => Proto.ActorKind.Admin,
                _ => Proto.ActorKind.System,
            },
            Id = actor.Id,
        };
    }

    public static Proto.InteractionState ToProto(this Core.InteractionState state) => state switch
    {
        Core.InteractionState.Queued => Proto.InteractionState.Queued,
        Core.InteractionState.Offered => Proto.InteractionState.Offered,
        Core.InteractionState.Connected => Proto.InteractionState.Connected,
        Core.InteractionState.WrapUp => Proto.InteractionState.WrapUp,
        Core.InteractionState.Completed => Proto.InteractionState.Completed,
        Core.InteractionState.Abandoned => Proto.InteractionState.Abandoned,
        _ => Proto.InteractionState.Unspecified,
    };

    public static Proto.Presence ToProto(this Core.Presence presence) => presence switch
    {
        Core.Presence.Available => Proto.Presence.Available,
        Core.Presence.Away => Proto.Presence.Away,
        _ => Proto.Presence.Offline,
    };

    public static Proto.AgentActivity ToProto(this Core.AgentActivity activity) => activity switch
    {
        Core.AgentActivity.Idle => Proto.AgentActivity.Idle,
        Core.AgentActivity.Busy => Proto.AgentActivity.Busy,
        Core.AgentActivity.WrapUp => Proto.AgentActivity.WrapUp,
        Core.AgentActivity.NotResponding => Proto.AgentActivity.NotResponding,
        _ => Proto.AgentActivity.SignedOut,
    };

    public static Proto.AgentSelectionPolicy ToProto(this Core.SelectionPolicy policy) => policy switch
    {
        Core.SelectionPolicy.LeastOccupied => Proto.AgentSelectionPolicy.LeastOccupied,
        Core.SelectionPolicy.BestSkill => Proto.AgentSelectionPolicy.BestSkill,
        Core.SelectionPolicy.RoundRobin => Proto.AgentSelectionPolicy.RoundRobin,
        _ => Proto.AgentSelectionPolicy.LongestIdle,
    };

    public static Core.SelectionPolicy ToCore(this Proto.AgentSelectionPolicy policy) => policy switch
    {
        Proto.AgentSelectionPolicy.LeastOccupied => Core.SelectionPolicy.LeastOccupied,
        Proto.AgentSelectionPolicy.BestSkill => Core.SelectionPolicy.BestSkill,
        Proto.AgentSelectionPolicy.RoundRobin => Core.SelectionPolicy.RoundRobin,
        _ => Core.SelectionPolicy.LongestIdle,
    };

    public static Proto.AgentStatus ToProto(this AgentStatusView s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var m = new Proto.AgentStatus
        {
            AgentId = s.AgentId,
            SignedIn = s.SignedIn,
            Presence = s.Presence.ToProto(),
            Activity = s.Activity.ToProto(),
            UnitsUsed = s.UnitsUsed,
            UnitsTotal = s.UnitsTotal,
            PresenceSince = ToTimestamp(s.PresenceSince),
            IdleSince = ToTimestamp(s.IdleSince),
        };
        m.Loads.AddRange(s.Loads.Select(l => new Proto.ChannelLoad { Channel = l.Channel, Active = l.Active, MaxConcurrent = l.MaxConcurrent }));
        m.Work.AddRange(s.Work.Select(w => new Proto.AgentWork
        {
            InteractionId = w.InteractionId,
            Channel = w.Channel,
            QueueId = w.QueueId,
            State = w.Phase switch
            {
                Core.WorkPhase.Offered => Proto.InteractionState.Offered,
                Core.WorkPhase.Connected => Proto.InteractionState.Connected,
                _ => Proto.InteractionState.WrapUp,
            },
            Since = Timestamp.FromDateTimeOffset(w.Since),
            ExpireTime = ToTimestamp(w.Deadline),
        }));
        return m;
    }

    public static Proto.Offer ToProto(this OfferView o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var m = new Proto.Offer
        {
            InteractionId = o.Interaction.InteractionId,
            Interaction = o.Interaction.ToProto(withHistory: false),
            OfferTime = Timestamp.FromDateTimeOffset(o.OfferedAt),
            ExpireTime = Timestamp.FromDateTimeOffset(o.ExpiresAt),
            AutoAccepted = o.AutoAccepted,
        };
        m.RecentJourney.AddRange(o.RecentJourney.Select(ToProto));
        return m;
    }

    public static Proto.JourneyEntry ToProto(this JourneyEntryView e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var m = new Proto.JourneyEntry
        {
            InteractionId = e.InteractionId,
            Channel = e.Channel,
            QueueId = e.QueueId,
            AgentId = e.AgentId ?? string.Empty,
            State = e.State.ToProto(),
            CreateTime = Timestamp.FromDateTimeOffset(e.CreatedAt),
            ConnectTime = ToTimestamp(e.ConnectedAt),
            EndTime = ToTimestamp(e.EndedAt),
            Disposition = e.Disposition ?? string.Empty,
            JourneyId = e.JourneyId ?? string.Empty,
            EndReason = e.EndReason ?? string.Empty,
        };
        m.Context.Add(e.Context);
        return m;
    }

    public static Proto.Channel ToProto(this ChannelConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new Proto.Channel
        {
            Name = c.Name,
            DisplayName = c.DisplayName,
            AutoAccept = c.AutoAccept,
            WrapUp = Duration.FromTimeSpan(c.WrapUp),
        };
    }

    public static Proto.Queue ToProto(this QueueConfig q)
    {
        ArgumentNullException.ThrowIfNull(q);
        var m = new Proto.Queue
        {
            QueueId = q.QueueId,
            DisplayName = q.DisplayName,
            Policy = q.Policy.ToProto(),
            ServiceLevel = new Proto.ServiceLevelTarget { Percent = q.ServiceLevel.Percent, Threshold = Duration.FromTimeSpan(q.ServiceLevel.Threshold) },
            MaxSize = q.MaxSize,
            Closed = q.Closed,
            OfferTimeout = Duration.FromTimeSpan(q.OfferTimeout),
            WrapUp = q.WrapUp is { } w ? Duration.FromTimeSpan(w) : null,
            AgingRate = q.AgingRate,
            DisableActiveAgentPreference = !q.PreferActiveAgent,
            Shards = q.Shards,
        };
        m.Channels.AddRange(q.Channels);
        m.RelaxationSteps.AddRange(q.RelaxationSteps.Select(s => new Proto.RelaxationStep
        {
            After = Duration.FromTimeSpan(s.After),
            Skill = s.Skill,
            Level = s.Level ?? 0,
            Remove = s.Level is null,
        }));
        if (q.Overflow is { } o)
        {
            m.Overflow = new Proto.Overflow
            {
                TargetQueueId = o.TargetQueueId,
                After = Duration.FromTimeSpan(o.After),
                Mode = o.Mode == OverflowMode.Also ? Proto.OverflowMode.Also : Proto.OverflowMode.Instead,
            };
        }

        return m;
    }

    public static Proto.Agent ToProto(this AgentDetails d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var m = new Proto.Agent
        {
            AgentId = d.Config.AgentId,
            DisplayName = d.Config.DisplayName,
            Capacity = d.Config.Capacity.ToProto(),
            Status = d.Status.ToProto(),
        };
        m.Skills.Add(d.Config.Skills);
        m.QueueIds.AddRange(d.Config.QueueIds);
        return m;
    }

    public static Proto.CapacityProfile ToProto(this CapacityConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var m = new Proto.CapacityProfile { TotalUnits = c.TotalUnits };
        m.Channels.AddRange(c.Channels.Select(l => new Proto.ChannelCapacity
        {
            Channel = l.Channel,
            MaxConcurrent = l.MaxConcurrent,
            UnitCost = l.UnitCost,
            Exclusive = l.Exclusive,
        }));
        return m;
    }

    public static Proto.Customer ToProto(this CustomerView c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var m = new Proto.Customer
        {
            CustomerId = c.CustomerId,
            DisplayName = c.DisplayName,
            LastAgentId = c.LastAgentId ?? string.Empty,
        };
        m.Attributes.Add(c.Attributes);
        m.ActiveInteractionIds.AddRange(c.ActiveInteractionIds);
        return m;
    }

    public static ImmutableDictionary<string, string> ToImmutable(this Google.Protobuf.Collections.MapField<string, string> map) =>
        map.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>Unset for no value, including the default of a time never recorded.</summary>
    private static Timestamp? ToTimestamp(DateTimeOffset? value) =>
        value is { } v && v != default ? Timestamp.FromDateTimeOffset(v) : null;
}
