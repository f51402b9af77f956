using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Api.Security;
using Omnichannel.Routing.Core;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Services;

/// <summary>
/// SupervisorService: queue statistics, live, and rebalancing. Every rebalancing RPC answers the predicted effect on
/// each affected queue (Erlang C on the queue's recent arrival rate and handle time, its agents and backlog); with
/// validate_only it changes nothing. Each change is recorded with the supervisor who asked.
/// </summary>
[Authorize(Policy = RoutingPolicies.Supervision)]
public sealed class SupervisorGrpcService(IClusterClient client, RegistryPager pager, ObserverRenewals renewals, CallerIdentity caller) : Proto.SupervisorService.SupervisorServiceBase
{
    private const string Model = "erlang-c";
    private const int MaxRebalance = 10_000;

    /// <summary>Each queue as a whole, its shards' answers merged.</summary>
    private readonly QueueShards _queues = new(client);

    public override async Task<Proto.QueueStats> GetQueueStats(Proto.GetQueueStatsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ToProto(await _queues.GetStatsAsync(await DefinedQueueIdAsync(request.QueueId, "queue_id")));
    }

    public override async Task<Proto.ListQueueStatsResponse> ListQueueStats(Proto.ListQueueStatsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (size, token) = FieldRules.Page(request.PageSize, request.PageToken);
        var (ids, next) = await pager.PageAsync(Registry.Queues, size, token);
        var response = new Proto.ListQueueStatsResponse { NextPageToken = next };
        response.Stats.AddRange((await Task.WhenAll(ids.Select(_queues.GetStatsAsync))).Select(ToProto));
        return response;
    }

    public override async Task WatchQueueStats(Proto.WatchQueueStatsRequest request, IServerStreamWriter<Proto.QueueStats> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        if (request.QueueIds.Count > 1000)
        {
            throw FieldRules.Invalid("queue_ids", "lists more than 1000 queues");
        }

        var queueIds = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.QueueIds.Count; i++)
        {
            queueIds.Add((await DefinedQueueIdAsync(request.QueueIds[i], $"queue_ids[{i}]")));
        }

        var watched = queueIds.ToImmutable();
        var streams = watched.IsEmpty ? LiveFeeds.AllStreams(LiveFeeds.QueueStatsNamespace) : watched.Select(LiveFeeds.QueueStatsStream).Distinct();
        var watch = new LiveFeedWatch<QueueStatsView>(s => s.QueueId, s => s.Sequence, s => watched.IsEmpty || watched.Contains(s.QueueId));
        await watch.RunAsync(
            client,
            renewals,
            streams,
            async () =>
            {
                var initial = watched.IsEmpty ? await pager.AllAsync(Registry.Queues) : [.. watched];
                return await Task.WhenAll(initial.Select(_queues.GetStatsAsync));
            },
            s => responseStream.WriteAsync(ToProto(s), context.StreamCancellationToken()),
            context.StreamCancellationToken());
    }

    public override async Task<Proto.RebalanceResponse> MoveInteraction(Proto.MoveInteractionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var interaction = await WaitingInteractionAsync(request.InteractionId);
        var target = await DefinedQueueAsync(request.TargetQueueId, "target_queue_id");
        var reason = FieldRules.Text(request.Reason, "reason", FieldRules.MaxReasonLength);
        var current = (await interaction.GetSnapshot())!;
        await RequireChannelAsync(target, current.Channel, "target_queue_id");
        if (current.QueueId == request.TargetQueueId)
        {
            throw RoutingException.Precondition("target_queue_id", $"'{current.InteractionId}' already waits in queue '{current.QueueId}'");
        }

        var impacts = await ImpactsAsync(
            (current.QueueId, new QueueChange(QueueChangeKind.WaitingDelta, -1)),
            (request.TargetQueueId, new QueueChange(QueueChangeKind.WaitingDelta, +1)));
        if (!request.ValidateOnly)
        {
            await interaction.TransferToQueue(request.TargetQueueId, ImmutableDictionary<string, string>.Empty, reason ?? "moved by a supervisor", caller.ActorFor(context, ActorKind.Supervisor), warm: false);
        }

        return Response(request.ValidateOnly, impacts, [current.InteractionId]);
    }

    public override async Task<Proto.RebalanceResponse> SetInteractionPriority(Proto.SetInteractionPriorityRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = FieldRules.Id(request.InteractionId, "interaction_id");
        if (request.Priority is < 0 or > FieldRules.MaxPriority)
        {
            throw FieldRules.Invalid("priority", $"must be 0..{FieldRules.MaxPriority}, was {request.Priority}");
        }

        var interaction = client.GetGrain<IInteractionGrain>(id);
        var current = await interaction.GetSnapshot() ?? throw RoutingException.NotFound("interaction_id", "interaction", id);
        if (InteractionLifecycle.IsEnded(current.State))
        {
            throw RoutingException.Precondition("interaction_id", $"'{id}' has ended");
        }

        // A priority reorders the line; the queue's figures as a whole stay as they are.
        var impacts = await ImpactsAsync((current.QueueId, new QueueChange(QueueChangeKind.None)));
        if (!request.ValidateOnly)
        {
            await interaction.SetPriority(request.Priority, caller.ActorFor(context, ActorKind.Supervisor));
        }

        return Response(request.ValidateOnly, impacts, [id]);
    }

    public override async Task<Proto.RebalanceResponse> RebalanceQueue(Proto.RebalanceQueueRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = await DefinedQueueIdAsync(request.SourceQueueId, "source_queue_id");
        var target = await DefinedQueueAsync(request.TargetQueueId, "target_queue_id");
        if (request.SourceQueueId == request.TargetQueueId)
        {
            throw FieldRules.Invalid("target_queue_id", "must differ from source_queue_id");
        }

        if (request.MaxInteractions is < 1 or > MaxRebalance)
        {
            throw FieldRules.Invalid("max_interactions", $"must be 1..{MaxRebalance}, was {request.MaxInteractions}");
        }

        var targetChannels = (await target.GetConfig())!.Channels;
        var oldest = await _queues.OldestWaitingAsync(request.SourceQueueId, request.MaxInteractions, targetChannels);
        var impacts = await ImpactsAsync(
            (request.SourceQueueId, new QueueChange(QueueChangeKind.WaitingDelta, -oldest.Length)),
            (request.TargetQueueId, new QueueChange(QueueChangeKind.WaitingDelta, +oldest.Length)));
        var moved = new List<string>();
        if (!request.ValidateOnly)
        {
            foreach (var id in oldest)
            {
                try
                {
                    // Oldest first; each keeps its arrival time in the target queue.
                    await client.GetGrain<IInteractionGrain>(id).TransferToQueue(request.TargetQueueId, ImmutableDictionary<string, string>.Empty, $"rebalanced from queue '{request.SourceQueueId}'", caller.ActorFor(context, ActorKind.Supervisor), warm: false);
                    moved.Add(id);
                }
                catch (RoutingException e) when (e.Code == RoutingErrorCode.FailedPrecondition)
                {
                    // Offered or ended since it was listed: it stays where it is.
                }
            }
        }

        return Response(request.ValidateOnly, impacts, request.ValidateOnly ? oldest : moved);
    }

    public override async Task<Proto.RebalanceResponse> SetAgentQueues(Proto.SetAgentQueuesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (agent, details) = await DefinedAgentAsync(request.AgentId);
        var queueIds = await new AdminOperations(client).QueueIdsAsync(request.QueueIds, "queue_ids");
        var before = details.Config.QueueIds;
        var counts = details.Status.SignedIn;
        var changes = before.Except(queueIds, StringComparer.Ordinal).Select(q => (q, new QueueChange(counts ? QueueChangeKind.AgentLeaves : QueueChangeKind.None)))
            .Concat(queueIds.Except(before, StringComparer.Ordinal).Select(q => (q, new QueueChange(counts ? QueueChangeKind.AgentJoins : QueueChangeKind.None))))
            .ToArray();
        var impacts = await ImpactsAsync(changes);
        if (!request.ValidateOnly)
        {
            await agent.SetQueues(queueIds, caller.ActorFor(context, ActorKind.Supervisor));
        }

        return Response(request.ValidateOnly, impacts, []);
    }

    public override async Task<Proto.RebalanceResponse> SetAgentSkills(Proto.SetAgentSkillsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var skills = AdminOperations.Skills(request.Skills, "skills");
        var (agent, details) = await DefinedAgentAsync(request.AgentId);

        // The model counts an agent once per queue whatever its skills, so the figures stay as they are; the effect
        // shows in who gets offered what (matching runs at once on the new skills).
        var impacts = await ImpactsAsync([.. details.Config.QueueIds.Select(q => (q, new QueueChange(QueueChangeKind.None)))]);
        if (!request.ValidateOnly)
        {
            await agent.SetSkills(skills, caller.ActorFor(context, ActorKind.Supervisor));
        }

        return Response(request.ValidateOnly, impacts, []);
    }

    public override async Task<Proto.RebalanceResponse> SetQueueOpen(Proto.SetQueueOpenRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var queueId = await DefinedQueueIdAsync(request.QueueId, "queue_id");
        var impacts = await ImpactsAsync((request.QueueId, new QueueChange(request.Open ? QueueChangeKind.Open : QueueChangeKind.Close)));
        if (!request.ValidateOnly)
        {
            await _queues.SetOpenAsync(queueId, request.Open, caller.ActorFor(context, ActorKind.Supervisor));
        }

        return Response(request.ValidateOnly, impacts, []);
    }

    internal static Proto.QueueStats ToProto(QueueStatsView s) => new()
    {
        QueueId = s.QueueId,
        Open = s.Open,
        Waiting = s.Waiting,
        Offered = s.Offered,
        Connected = s.Connected,
        LongestWait = Duration.FromTimeSpan(s.LongestWait),
        AverageWait = Duration.FromTimeSpan(s.AverageWait),
        ServiceLevelPercent = Math.Round(s.ServiceLevelPercent, 2),
        ServiceLevelWindow = Duration.FromTimeSpan(s.ServiceLevelWindow),
        Abandoned = s.Abandoned,
        AgentsEligible = s.AgentsEligible,
        AgentsAvailable = s.AgentsAvailable,
        EstimatedWait = s.EstimatedWait is { } w ? Duration.FromTimeSpan(w) : null,
        Answered = s.Answered,
        UpdateTime = Timestamp.FromDateTimeOffset(s.UpdatedAt),
    };

    private async Task<List<QueueImpactView>> ImpactsAsync(params (string QueueId, QueueChange Change)[] changes)
    {
        var impacts = await Task.WhenAll(changes.Select(c => client.GetGrain<IQueueGrain>(c.QueueId).ForecastImpact(c.Change)));
        return [.. impacts];
    }

    private static Proto.RebalanceResponse Response(bool validateOnly, IEnumerable<QueueImpactView> impacts, IEnumerable<string> affected)
    {
        var response = new Proto.RebalanceResponse { ValidatedOnly = validateOnly, Model = Model };
        response.Impacts.AddRange(impacts.Select(i => new Proto.QueueImpact
        {
            QueueId = i.QueueId,
            WaitingBefore = i.WaitingBefore,
            WaitingAfter = i.WaitingAfter,
            EstimatedWaitBefore = Duration.FromTimeSpan(i.EstimatedWaitBefore),
            EstimatedWaitAfter = Duration.FromTimeSpan(i.EstimatedWaitAfter),
            ServiceLevelPercentBefore = Math.Round(i.ServiceLevelBefore, 2),
            ServiceLevelPercentAfter = Math.Round(i.ServiceLevelAfter, 2),
            AgentsBefore = i.AgentsBefore,
            AgentsAfter = i.AgentsAfter,
        }));
        response.AffectedInteractionIds.AddRange(affected);
        return response;
    }

    private async Task<IInteractionGrain> WaitingInteractionAsync(string? interactionId)
    {
        var id = FieldRules.Id(interactionId, "interaction_id");
        var interaction = client.GetGrain<IInteractionGrain>(id);
        var current = await interaction.GetSnapshot() ?? throw RoutingException.NotFound("interaction_id", "interaction", id);
        if (current.State != InteractionState.Queued)
        {
            throw RoutingException.Precondition("interaction_id", $"'{id}' is not waiting (it is {current.State}); only waiting interactions are moved");
        }

        return interaction;
    }

    private async Task<IQueueGrain> DefinedQueueAsync(string? queueId, string field) =>
        client.GetGrain<IQueueGrain>(await DefinedQueueIdAsync(queueId, field));

    private async Task<string> DefinedQueueIdAsync(string? queueId, string field)
    {
        var id = FieldRules.Id(queueId, field);
        _ = await client.GetGrain<IQueueGrain>(id).GetConfig() ?? throw RoutingException.NotFound(field, "queue", id);
        return id;
    }

    private static async Task RequireChannelAsync(IQueueGrain queue, string channel, string field)
    {
        var config = (await queue.GetConfig())!;
        if (!config.Channels.Contains(channel))
        {
            throw RoutingException.Invalid(field, $"queue '{config.QueueId}' does not take channel '{channel}'");
        }
    }

    private async Task<(IAgentGrain Agent, AgentDetails Details)> DefinedAgentAsync(string? agentId)
    {
        var id = FieldRules.Id(agentId, "agent_id");
        var agent = client.GetGrain<IAgentGrain>(id);
        var details = await agent.GetDetails() ?? throw RoutingException.NotFound("agent_id", "agent", id);
        return (agent, details);
    }
}
