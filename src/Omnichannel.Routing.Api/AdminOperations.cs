using System.Collections.Immutable;
using Grpc.Core;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api;

/// <summary>
/// Validated configuration changes, shared by <c>AdminService</c> and the configuration file loaded at start.
/// Every field is checked, and every reference resolved, before any grain is changed.
/// </summary>
public sealed class AdminOperations(IGrainFactory grains)
{
    private static readonly TimeSpan MaxStepDelay = TimeSpan.FromHours(24);

    public async Task<Proto.Channel> UpsertChannelAsync(Proto.Channel? channel, string field, Actor actor)
    {
        if (channel is null)
        {
            throw FieldRules.Invalid(field, "is required");
        }

        var config = new ChannelConfig(
            FieldRules.Channel(channel.Name, $"{field}.name"),
            FieldRules.Text(channel.DisplayName, $"{field}.display_name", FieldRules.MaxDisplayNameLength) ?? channel.Name,
            channel.AutoAccept,
            FieldRules.Duration(channel.WrapUp, $"{field}.wrap_up", TimeSpan.Zero, TimeSpan.FromHours(1)));
        var saved = await grains.GetGrain<IChannelCatalogGrain>("default").Upsert(config, actor);
        return saved.ToProto();
    }

    public async Task<Proto.Queue> UpsertQueueAsync(Proto.Queue? queue, string field, Actor actor)
    {
        if (queue is null)
        {
            throw FieldRules.Invalid(field, "is required");
        }

        var queueId = FieldRules.Id(queue.QueueId, $"{field}.queue_id");
        var channels = await grains.GetGrain<IChannelCatalogGrain>("default").GetAll();
        if (queue.Channels.Count is 0 or > 32)
        {
            throw FieldRules.Invalid($"{field}.channels", "must list 1..32 channels");
        }

        var queueChannels = new List<string>();
        for (var i = 0; i < queue.Channels.Count; i++)
        {
            var name = FieldRules.Channel(queue.Channels[i], $"{field}.channels[{i}]");
            if (!channels.ContainsKey(name))
            {
                throw NotFound($"{field}.channels[{i}]", "channel", name);
            }

            if (queueChannels.Contains(name))
            {
                throw FieldRules.Invalid($"{field}.channels[{i}]", $"lists '{name}' twice");
            }

            queueChannels.Add(name);
        }

        if (!System.Enum.IsDefined(queue.Policy))
        {
            throw FieldRules.Invalid($"{field}.policy", $"unknown value {(int)queue.Policy}");
        }

        var serviceLevel = ServiceLevelConfig.Default;
        if (queue.ServiceLevel is { } sl)
        {
            if (double.IsNaN(sl.Percent) || sl.Percent < 0 || sl.Percent > 100)
            {
                throw FieldRules.Invalid($"{field}.service_level.percent", "must be 0..100");
            }

            serviceLevel = new ServiceLevelConfig(
                sl.Percent == 0 ? ServiceLevelConfig.Default.Percent : sl.Percent,
                sl.Threshold is null ? ServiceLevelConfig.Default.Threshold : FieldRules.Duration(sl.Threshold, $"{field}.service_level.threshold", TimeSpan.FromSeconds(1), TimeSpan.FromHours(24)));
        }

        if (queue.RelaxationSteps.Count > 16)
        {
            throw FieldRules.Invalid($"{field}.relaxation_steps", "has more than 16 steps");
        }

        var steps = new List<RelaxationStepConfig>();
        for (var i = 0; i < queue.RelaxationSteps.Count; i++)
        {
            var s = queue.RelaxationSteps[i];
            var path = $"{field}.relaxation_steps[{i}]";
            steps.Add(new RelaxationStepConfig(
                FieldRules.Duration(s.After, $"{path}.after", TimeSpan.Zero, MaxStepDelay),
                FieldRules.SkillName(s.Skill, $"{path}.skill"),
                s.Remove ? null : FieldRules.SkillLevel(s.Level, $"{path}.level")));
        }

        OverflowConfig? overflow = null;
        if (queue.Overflow is { } o)
        {
            var target = FieldRules.Id(o.TargetQueueId, $"{field}.overflow.target_queue_id");
            if (target == queueId)
            {
                throw FieldRules.Invalid($"{field}.overflow.target_queue_id", "cannot be the queue itself");
            }

            if (await grains.GetGrain<IQueueGrain>(target).GetConfig() is null)
            {
                throw NotFound($"{field}.overflow.target_queue_id", "queue", target);
            }

            if (!System.Enum.IsDefined(o.Mode))
            {
                throw FieldRules.Invalid($"{field}.overflow.mode", $"unknown value {(int)o.Mode}");
            }

            overflow = new OverflowConfig(
                target,
                FieldRules.Duration(o.After, $"{field}.overflow.after", TimeSpan.Zero, MaxStepDelay),
                o.Mode == Proto.OverflowMode.Also ? OverflowMode.Also : OverflowMode.Instead);
        }

        if (queue.MaxSize is < 0 or > 1_000_000)
        {
            throw FieldRules.Invalid($"{field}.max_size", "must be 0 (unbounded) .. 1000000");
        }

        if (double.IsNaN(queue.AgingRate) || queue.AgingRate < 0 || queue.AgingRate > 1000)
        {
            throw FieldRules.Invalid($"{field}.aging_rate", "must be 0..1000 priority points per second (0: the default, 1)");
        }

        if (queue.Shards is < 0 or > QueueShardKey.MaxShards)
        {
            throw FieldRules.Invalid($"{field}.shards", $"must be 1..{QueueShardKey.MaxShards} (0: 1, unsharded)");
        }

        var config = new QueueConfig(
            queueId,
            FieldRules.Text(queue.DisplayName, $"{field}.display_name", FieldRules.MaxDisplayNameLength) ?? queueId,
            [.. queueChannels],
            queue.Policy.ToCore(),
            serviceLevel,
            [.. steps],
            overflow,
            queue.MaxSize,
            queue.Closed,
            queue.OfferTimeout is null ? QueueConfig.DefaultOfferTimeout : FieldRules.Duration(queue.OfferTimeout, $"{field}.offer_timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            queue.WrapUp is null ? null : FieldRules.Duration(queue.WrapUp, $"{field}.wrap_up", TimeSpan.Zero, TimeSpan.FromHours(1)),
            queue.AgingRate == 0 ? EffectivePriority.DefaultAgingRate : queue.AgingRate,
            !queue.DisableActiveAgentPreference,
            Math.Max(1, queue.Shards));
        var saved = await new QueueShards(grains).ConfigureAsync(config, actor);
        return saved.ToProto();
    }

    public async Task<Proto.Agent> UpsertAgentAsync(Proto.Agent? agent, string field, Actor actor)
    {
        if (agent is null)
        {
            throw FieldRules.Invalid(field, "is required");
        }

        var agentId = FieldRules.Id(agent.AgentId, $"{field}.agent_id");
        var skills = Skills(agent.Skills, $"{field}.skills");
        var capacity = await CapacityAsync(agent.Capacity, $"{field}.capacity");
        var queueIds = await QueueIdsAsync(agent.QueueIds, $"{field}.queue_ids");
        var config = new AgentConfig(
            agentId,
            FieldRules.Text(agent.DisplayName, $"{field}.display_name", FieldRules.MaxDisplayNameLength) ?? agentId,
            skills,
            capacity,
            queueIds);
        var details = await grains.GetGrain<IAgentGrain>(agentId).Define(config, actor);
        return details.ToProto();
    }

    public static ImmutableDictionary<string, int> Skills(Google.Protobuf.Collections.MapField<string, int> skills, string field)
    {
        if (skills.Count > FieldRules.MaxSkills)
        {
            throw FieldRules.Invalid(field, $"has more than {FieldRules.MaxSkills} skills");
        }

        foreach (var (name, level) in skills)
        {
            FieldRules.SkillName(name, $"{field}[{name}]");
            FieldRules.SkillLevel(level, $"{field}[{name}]");
        }

        return skills.ToImmutableDictionary(StringComparer.Ordinal);
    }

    public async Task<ImmutableArray<string>> QueueIdsAsync(IList<string> queueIds, string field)
    {
        if (queueIds.Count > FieldRules.MaxQueuesPerAgent)
        {
            throw FieldRules.Invalid(field, $"lists more than {FieldRules.MaxQueuesPerAgent} queues");
        }

        var ids = new List<string>();
        for (var i = 0; i < queueIds.Count; i++)
        {
            var id = FieldRules.Id(queueIds[i], $"{field}[{i}]");
            if (ids.Contains(id))
            {
                throw FieldRules.Invalid($"{field}[{i}]", $"lists '{id}' twice");
            }

            ids.Add(id);
        }

        var configs = await Task.WhenAll(ids.Select(id => grains.GetGrain<IQueueGrain>(id).GetConfig()));
        for (var i = 0; i < ids.Count; i++)
        {
            if (configs[i] is null)
            {
                throw NotFound($"{field}[{i}]", "queue", ids[i]);
            }
        }

        return [.. ids];
    }

    private async Task<CapacityConfig> CapacityAsync(Proto.CapacityProfile? capacity, string field)
    {
        if (capacity is null)
        {
            throw FieldRules.Invalid(field, "is required");
        }

        if (capacity.TotalUnits is < 1 or > 100_000)
        {
            throw FieldRules.Invalid($"{field}.total_units", "must be 1..100000");
        }

        if (capacity.Channels.Count is 0 or > 32)
        {
            throw FieldRules.Invalid($"{field}.channels", "must list 1..32 channels");
        }

        var known = await grains.GetGrain<IChannelCatalogGrain>("default").GetAll();
        var limits = new List<ChannelLimitConfig>();
        for (var i = 0; i < capacity.Channels.Count; i++)
        {
            var c = capacity.Channels[i];
            var path = $"{field}.channels[{i}]";
            var name = FieldRules.Channel(c.Channel, $"{path}.channel");
            if (!known.ContainsKey(name))
            {
                throw NotFound($"{path}.channel", "channel", name);
            }

            if (limits.Any(l => l.Channel == name))
            {
                throw FieldRules.Invalid($"{path}.channel", $"lists '{name}' twice");
            }

            if (c.MaxConcurrent is < 1 or > 100)
            {
                throw FieldRules.Invalid($"{path}.max_concurrent", "must be 1..100");
            }

            if (c.UnitCost < 0 || c.UnitCost > capacity.TotalUnits)
            {
                throw FieldRules.Invalid($"{path}.unit_cost", $"must be 0..total_units ({capacity.TotalUnits})");
            }

            limits.Add(new ChannelLimitConfig(name, c.MaxConcurrent, c.UnitCost, c.Exclusive));
        }

        return new CapacityConfig(capacity.TotalUnits, [.. limits]);
    }

    private static RpcException NotFound(string field, string what, string id) =>
        new(new Status(StatusCode.NotFound, $"{field}: {what} '{id}' does not exist"));
}
