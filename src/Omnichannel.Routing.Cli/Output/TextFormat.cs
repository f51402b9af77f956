using System.Globalization;
using System.Reflection;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Output;

/// <summary>The one-line human-readable form of each message the client prints.</summary>
internal static class TextFormat
{
    /// <summary>An enum value by its proto name without the type prefix: <c>INTERACTION_STATE_WRAP_UP</c> → <c>WRAP_UP</c>.</summary>
    public static string Name<T>(T value)
        where T : struct, System.Enum
    {
        var original = OriginalName(typeof(T), value.ToString());
        if (original is null)
        {
            return value.ToString();
        }

        var zero = OriginalName(typeof(T), System.Enum.GetName(typeof(T), 0) ?? string.Empty);
        const string unspecified = "UNSPECIFIED";
        if (zero is not null && zero.EndsWith(unspecified, StringComparison.Ordinal))
        {
            var prefix = zero[..^unspecified.Length];
            return original.StartsWith(prefix, StringComparison.Ordinal) ? original[prefix.Length..] : original;
        }

        return original;
    }

    /// <summary><c>2025-01-31T10:15:02.123Z</c>; empty when unset.</summary>
    public static string Time(Timestamp? time) =>
        time is null ? string.Empty : time.ToDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string InteractionLine(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var line = new LineBuilder(interaction.InteractionId)
            .Word(Name(interaction.State))
            .Field("queue", interaction.QueueId)
            .Field("channel", interaction.Channel)
            .Field("customer", interaction.CustomerId)
            .Field("agent", interaction.AgentId);
        if (interaction.State == InteractionState.Queued)
        {
            line.Field("position", interaction.QueuePosition.ToString(CultureInfo.InvariantCulture))
                .Field("estimated-wait", DurationText.Format(interaction.EstimatedWait));
        }

        return line
            .Field("priority", interaction.BasePriority == 0 ? string.Empty : interaction.BasePriority.ToString(CultureInfo.InvariantCulture))
            .Field("disposition", interaction.Disposition)
            .Field("end-reason", interaction.EndReason)
            .ToString();
    }

    public static string RouteLine(RouteInteractionResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var line = InteractionLine(response.Interaction ?? new Interaction());
        return response.Replayed ? $"{line}  (replayed)" : line;
    }

    public static string EventLine(InteractionEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var actor = change.Actor is null
            ? string.Empty
            : change.Actor.Id.Length > 0 ? $"{Name(change.Actor.Kind)}:{change.Actor.Id}" : Name(change.Actor.Kind);
        return new LineBuilder($"#{change.Sequence}")
            .Word(Time(change.Time))
            .Word(change.Type)
            .Word($"{Name(change.FromState)}->{Name(change.ToState)}")
            .Field("queue", change.QueueId)
            .Field("agent", change.AgentId)
            .Field("by", actor)
            .Field("detail", change.Detail)
            .ToString();
    }

    public static string UpdateLine(InteractionUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Event is null)
        {
            return InteractionLine(update.Interaction ?? new Interaction());
        }

        var line = new LineBuilder(EventLine(update.Event));
        if (update.Interaction is { State: InteractionState.Queued } queued)
        {
            line.Field("position", queued.QueuePosition.ToString(CultureInfo.InvariantCulture))
                .Field("estimated-wait", DurationText.Format(queued.EstimatedWait));
        }

        return line.ToString();
    }

    public static string ChannelLine(Channel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new LineBuilder($"channel {channel.Name}")
            .Quoted(channel.DisplayName)
            .Word(channel.AutoAccept ? "auto-accept" : string.Empty)
            .Field("wrap-up", DurationText.Format(channel.WrapUp))
            .ToString();
    }

    public static string QueueLine(Queue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var serviceLevel = queue.ServiceLevel is null
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"{queue.ServiceLevel.Percent:0.##}%/{DurationText.Format(queue.ServiceLevel.Threshold)}");
        var overflow = queue.Overflow is null
            ? string.Empty
            : $"{queue.Overflow.TargetQueueId}/{Name(queue.Overflow.Mode)}" + (queue.Overflow.After is null ? string.Empty : $"/after {DurationText.Format(queue.Overflow.After)}");
        var relaxation = string.Join(',', queue.RelaxationSteps.Select(s =>
            $"{DurationText.Format(s.After)}:{s.Skill}" + (s.Remove ? " removed" : $">={s.Level}")));
        return new LineBuilder(queue.QueueId)
            .Quoted(queue.DisplayName)
            .Word(queue.Closed ? "CLOSED" : "OPEN")
            .Field("channels", string.Join(',', queue.Channels))
            .Field("policy", Name(queue.Policy))
            .Field("service-level", serviceLevel)
            .Field("relaxation", relaxation)
            .Field("overflow", overflow)
            .Field("max-size", queue.MaxSize == 0 ? string.Empty : queue.MaxSize.ToString(CultureInfo.InvariantCulture))
            .Field("offer-timeout", DurationText.Format(queue.OfferTimeout))
            .Field("wrap-up", DurationText.Format(queue.WrapUp))
            .Field("aging-rate", queue.AgingRate == 0 ? string.Empty : queue.AgingRate.ToString(CultureInfo.InvariantCulture))
            .Field("shards", queue.Shards <= 1 ? string.Empty : queue.Shards.ToString(CultureInfo.InvariantCulture))
            .ToString();
    }

    public static string AgentLine(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var skills = string.Join(',', agent.Skills.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}:{s.Value}"));
        var capacity = agent.Capacity is null
            ? string.Empty
            : $"{agent.Capacity.TotalUnits}u[" + string.Join(',', agent.Capacity.Channels.Select(c =>
                $"{c.Channel} {c.MaxConcurrent}x{c.UnitCost}" + (c.Exclusive ? " exclusive" : string.Empty))) + "]";
        var line = new LineBuilder(agent.AgentId)
            .Quoted(agent.DisplayName)
            .Field("queues", string.Join(',', agent.QueueIds))
            .Field("skills", skills)
            .Field("capacity", capacity);
        if (agent.Status is not null)
        {
            line.Word(StatusWithoutId(agent.Status));
        }

        return line.ToString();
    }

    public static string StatusLine(AgentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return $"{status.AgentId}  {StatusWithoutId(status)}";
    }

    public static string OfferEventLine(OfferEvent offerEvent)
    {
        ArgumentNullException.ThrowIfNull(offerEvent);
        switch (offerEvent.EventCase)
        {
            case OfferEvent.EventOneofCase.Offered:
                var offer = offerEvent.Offered;
                var interaction = offer.Interaction ?? new Interaction();
                var context = string.Join(',', interaction.Context.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
                return new LineBuilder($"offered {offer.InteractionId}")
                    .Field("channel", interaction.Channel)
                    .Field("queue", interaction.QueueId)
                    .Field("customer", interaction.CustomerId)
                    .Field("priority", interaction.BasePriority == 0 ? string.Empty : interaction.BasePriority.ToString(CultureInfo.InvariantCulture))
                    .Field("context", context)
                    .Field("expires", offer.AutoAccepted ? string.Empty : Time(offer.ExpireTime))
                    .Word(offer.AutoAccepted ? "auto-accepted" : string.Empty)
                    .Field("recent-journey", offer.RecentJourney.Count == 0 ? string.Empty : offer.RecentJourney.Count.ToString(CultureInfo.InvariantCulture))
                    .ToString();
            case OfferEvent.EventOneofCase.Withdrawn:
                return new LineBuilder($"withdrawn {offerEvent.Withdrawn.InteractionId}")
                    .Field("reason", offerEvent.Withdrawn.Reason)
                    .ToString();
            case OfferEvent.EventOneofCase.Status:
                return $"status {StatusLine(offerEvent.Status)}";
            default:
                return "(empty offer event)";
        }
    }

    private static string StatusWithoutId(AgentStatus status)
    {
        var loads = string.Join(',', status.Loads.Where(l => l.Active > 0).Select(l => $"{l.Channel}:{l.Active}/{l.MaxConcurrent}"));
        var work = string.Join(',', status.Work.Select(w => $"{w.InteractionId}({w.Channel} {Name(w.State)})"));
        return new LineBuilder(status.SignedIn ? "signed-in" : "signed-out")
            .Field("presence", Name(status.Presence))
            .Field("activity", Name(status.Activity))
            .Field("units", status.UnitsTotal == 0 ? string.Empty : $"{status.UnitsUsed}/{status.UnitsTotal}")
            .Field("load", loads)
            .Field("work", work)
            .ToString();
    }

    private static string? OriginalName(System.Type type, string member) =>
        type.GetField(member, BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<OriginalNameAttribute>()?.Name;

    /// <summary>Joins the parts of a line with two spaces, leaving out empty ones.</summary>
    private sealed class LineBuilder(string head)
    {
        private readonly List<string> _parts = [head];

        public LineBuilder Word(string word)
        {
            if (word.Length > 0)
            {
                _parts.Add(word);
            }

            return this;
        }

        public LineBuilder Quoted(string text) => text.Length > 0 ? Word($"\"{text}\"") : this;

        public LineBuilder Field(string name, string value) => value.Length > 0 ? Word($"{name}={value}") : this;

        public override string ToString() => string.Join("  ", _parts);
    }
}
