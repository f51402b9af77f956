using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Api.Security;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Services;

/// <summary>WorkforceService: agent occupancy for workforce tools (read-only).</summary>
[Authorize(Policy = RoutingPolicies.Workforce)]
public sealed class WorkforceGrpcService(IClusterClient client, RegistryPager pager, ObserverRenewals renewals) : Proto.WorkforceService.WorkforceServiceBase
{
    public override async Task<Proto.AgentOccupancy> GetAgentOccupancy(Proto.GetAgentOccupancyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = FieldRules.Id(request.AgentId, "agent_id");
        var agent = client.GetGrain<IAgentGrain>(id);
        _ = await agent.GetDetails() ?? throw RoutingException.NotFound("agent_id", "agent", id);
        return ToProto(await agent.GetOccupancy());
    }

    public override async Task<Proto.ListAgentOccupancyResponse> ListAgentOccupancy(Proto.ListAgentOccupancyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (size, token) = FieldRules.Page(request.PageSize, request.PageToken);
        var (ids, next) = await pager.PageAgentsAsync(FieldRules.OptionalId(request.QueueId, "queue_id"), "queue_id", size, token);
        var response = new Proto.ListAgentOccupancyResponse { NextPageToken = next };
        response.Occupancies.AddRange((await Task.WhenAll(ids.Select(id => client.GetGrain<IAgentGrain>(id).GetOccupancy()))).Select(ToProto));
        return response;
    }

    public override async Task WatchAgentOccupancy(Proto.WatchAgentOccupancyRequest request, IServerStreamWriter<Proto.AgentOccupancy> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var queueId = FieldRules.OptionalId(request.QueueId, "queue_id");
        if (request.AgentIds.Count > 1000)
        {
            throw FieldRules.Invalid("agent_ids", "lists more than 1000 agents");
        }

        var agentIds = request.AgentIds.Select((id, i) => FieldRules.Id(id, $"agent_ids[{i}]")).ToImmutableHashSet(StringComparer.Ordinal);
        var members = queueId is null ? null : (await pager.QueueMembersAsync(queueId, "queue_id")).ToImmutableHashSet(StringComparer.Ordinal);
        var streams = agentIds.IsEmpty
            ? LiveFeeds.AllStreams(LiveFeeds.OccupancyNamespace)
            : agentIds.Select(LiveFeeds.OccupancyStream).Distinct();
        var watch = new LiveFeedWatch<AgentOccupancyView>(
            o => o.AgentId,
            o => o.Sequence,
            o => (agentIds.IsEmpty || agentIds.Contains(o.AgentId)) && (queueId is null || o.QueueIds.Contains(queueId) || members!.Contains(o.AgentId)));
        await watch.RunAsync(
            client,
            renewals,
            streams,
            async () =>
            {
                var initial = agentIds.IsEmpty ? members ?? (IEnumerable<string>)await pager.AllAsync(Registry.Agents) : agentIds;
                return await Task.WhenAll(initial.Select(id => client.GetGrain<IAgentGrain>(id).GetOccupancy()));
            },
            o => responseStream.WriteAsync(ToProto(o), context.StreamCancellationToken()),
            context.StreamCancellationToken());
    }

    internal static Proto.AgentOccupancy ToProto(AgentOccupancyView o)
    {
        var m = new Proto.AgentOccupancy
        {
            AgentId = o.AgentId,
            SignedIn = o.SignedIn,
            Presence = o.Presence.ToProto(),
            Activity = o.Activity.ToProto(),
            StateSince = Timestamp.FromDateTimeOffset(o.StateSince),
            UnitsUsed = o.UnitsUsed,
            UnitsTotal = o.UnitsTotal,
            OccupancyPercent15M = Math.Round(o.OccupancyPercentRecent, 2),
            OccupancyPercentDay = Math.Round(o.OccupancyPercentToday, 2),
            UpdateTime = Timestamp.FromDateTimeOffset(o.UpdatedAt),
        };
        m.PresenceTime.AddRange(o.PresenceTime.OrderBy(p => p.Key).Select(p => new Proto.StateTime { State = p.Key.ToProto().ToString(), Duration = Duration.FromTimeSpan(p.Value) }));
        m.ActivityTime.AddRange(o.ActivityTime.OrderBy(a => a.Key).Select(a => new Proto.StateTime { State = a.Key.ToProto().ToString(), Duration = Duration.FromTimeSpan(a.Value) }));
        m.Loads.AddRange(o.Loads.Select(l => new Proto.ChannelLoad { Channel = l.Channel, Active = l.Active, MaxConcurrent = l.MaxConcurrent }));
        m.Handling.AddRange(o.Handling.Select(h => new Proto.ChannelHandling
        {
            Channel = h.Channel,
            Handled = h.Handled,
            AverageHandleTime = Duration.FromTimeSpan(h.AverageHandleTime),
            AverageWrapUpTime = Duration.FromTimeSpan(h.AverageWrapUpTime),
        }));
        return m;
    }
}
