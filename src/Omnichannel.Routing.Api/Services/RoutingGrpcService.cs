using System.Threading.Channels;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Api.Security;
using Omnichannel.Routing.Core;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Services;

/// <summary>RoutingService: front-ends route, follow, cancel and transfer interactions.</summary>
[Authorize(Policy = RoutingPolicies.Routing)]
public sealed class RoutingGrpcService(IGrainFactory grains, IRoutingEventLog eventLog, RouteAdmission admission, ObserverRenewals renewals, CallerIdentity? caller = null) : Proto.RoutingService.RoutingServiceBase
{
    private static readonly TimeSpan WatchRenewal = TimeSpan.FromMinutes(1);

    // Optional so the service can be built by hand (tests) the way it always could; the server's container gives one.
    private readonly CallerIdentity _caller = caller ?? CallerIdentity.Open;

    public override async Task<Proto.RouteInteractionResponse> RouteInteraction(Proto.RouteInteractionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var requestId = FieldRules.OptionalId(request.RequestId, "request_id");
        var customerId = FieldRules.Id(request.CustomerId, "customer_id");
        var channel = FieldRules.Channel(request.Channel, "channel");
        var queueId = FieldRules.Id(request.QueueId, "queue_id");
        if (request.Priority is < 0 or > FieldRules.MaxPriority)
        {
            throw FieldRules.Invalid("priority", $"must be 0..{FieldRules.MaxPriority}, was {request.Priority}");
        }

        if (request.RequiredSkills.Count > 32)
        {
            throw FieldRules.Invalid("required_skills", "lists more than 32 skills");
        }

        var required = new List<RequirementConfig>();
        for (var i = 0; i < request.RequiredSkills.Count; i++)
        {
            var r = request.RequiredSkills[i];
            required.Add(new RequirementConfig(
                FieldRules.SkillName(r.Skill, $"required_skills[{i}].skill"),
                FieldRules.SkillLevel(r.MinimumLevel, $"required_skills[{i}].minimum_level")));
        }

        if (request.PreferredSkills.Count > 32)
        {
            throw FieldRules.Invalid("preferred_skills", "lists more than 32 skills");
        }

        for (var i = 0; i < request.PreferredSkills.Count; i++)
        {
            FieldRules.SkillName(request.PreferredSkills[i], $"preferred_skills[{i}]");
        }

        FieldRules.Context(request.Context, "context");
        var preferredAgent = FieldRules.OptionalId(request.PreferredAgentId, "preferred_agent_id");
        var wait = FieldRules.Duration(request.PreferredAgentWait, "preferred_agent_wait", TimeSpan.Zero, FieldRules.MaxPreferredAgentWait);

        var command = new RouteCommand(
            requestId,
            customerId,
            channel,
            queueId,
            request.Priority,
            [.. required],
            [.. request.PreferredSkills],
            request.Context.ToImmutable(),
            preferredAgent,
            request.PreferLastAgent,
            wait,
            _caller.ActorFor(context, ActorKind.Frontend));
        var interactionId = requestId is null ? InteractionIds.New() : InteractionIds.ForRequest(requestId);
        if (!admission.TryEnter())
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"the engine is at capacity ({admission.InFlight} routes in progress); retry shortly with the same request_id"));
        }

        try
        {
            var outcome = await grains.Interaction(interactionId).Route(command);
            return new Proto.RouteInteractionResponse { Interaction = outcome.Interaction.ToProto(), Replayed = outcome.Replayed };
        }
        finally
        {
            admission.Exit();
        }
    }

    public override async Task<Proto.Interaction> GetInteraction(Proto.GetInteractionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = FieldRules.Id(request.InteractionId, "interaction_id");
        var snapshot = await grains.Interaction(id).GetSnapshot()
            ?? throw RoutingException.NotFound("interaction_id", "interaction", id);
        if (!eventLog.IsDurable)
        {
            return snapshot.ToProto();
        }

        // Durable mode: the whole history comes from the event log, not the grain's bounded copy.
        var events = await eventLog.ReadAsync(RoutingEventSubject.Interaction, id, context.CancellationToken);
        var message = snapshot.ToProto(withHistory: false);
        message.History.AddRange(events.Select(e => new InteractionEventRecord(e.Sequence, e.Time, e.Type, e.From, e.To ?? snapshot.State, e.QueueId, e.AgentId, e.Actor, e.Detail).ToProto()));
        return message;
    }

    public override async Task WatchInteraction(Proto.WatchInteractionRequest request, IServerStreamWriter<Proto.InteractionUpdate> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var id = FieldRules.Id(request.InteractionId, "interaction_id");
        var grain = grains.Interaction(id);
        var feed = new ObserverFeed<(InteractionSnapshot Snapshot, InteractionEventRecord Change)>();
        await using var registration = new ObserverRegistration<IInteractionObserver>(grains, new InteractionWatch(feed.Writer), grain.Unsubscribe);
        var cancellation = context.StreamCancellationToken();
        try
        {
            // Subscribe before reading, so no change falls between the first message and the stream.
            await grain.Subscribe(registration.Reference);
            var current = await grain.GetSnapshot() ?? throw RoutingException.NotFound("interaction_id", "interaction", id);
            await responseStream.WriteAsync(new Proto.InteractionUpdate { Interaction = current.ToProto() }, cancellation);
            var lastSequence = current.History.IsEmpty ? 0 : current.History[^1].Sequence;
            if (InteractionLifecycle.IsEnded(current.State))
            {
                return;
            }

            using var renewal = renewals.Every(WatchRenewal, () => grain.Subscribe(registration.Reference), feed.Fail);
            await feed.PumpAsync(
                async update =>
                {
                    if (update.Change.Sequence <= lastSequence)
                    {
                        return true;
                    }

                    lastSequence = update.Change.Sequence;
                    await responseStream.WriteAsync(new Proto.InteractionUpdate { Interaction = update.Snapshot.ToProto(withHistory: false), Event = update.Change.ToProto() }, cancellation);
                    return !InteractionLifecycle.IsEnded(update.Snapshot.State);
                },
                cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    public override async Task<Proto.Interaction> CancelInteraction(Proto.CancelInteractionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = FieldRules.Id(request.InteractionId, "interaction_id");
        var reason = FieldRules.Text(request.Reason, "reason", FieldRules.MaxReasonLength);
        var grain = grains.Interaction(id);
        _ = await grain.GetSnapshot() ?? throw RoutingException.NotFound("interaction_id", "interaction", id);
        var snapshot = await grain.Cancel(reason, _caller.ActorFor(context, ActorKind.Frontend));
        return snapshot.ToProto();
    }

    public override async Task<Proto.Interaction> TransferInteraction(Proto.TransferInteractionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = FieldRules.Id(request.InteractionId, "interaction_id");
        FieldRules.Context(request.Context, "context");
        var reason = FieldRules.Text(request.Reason, "reason", FieldRules.MaxReasonLength);
        var byAgent = FieldRules.OptionalId(request.RequestedByAgentId, "requested_by_agent_id");
        // With authentication on, the actor is the token's principal; the agent named in the body is not believed.
        var actor = byAgent is null || _caller.Enabled ? _caller.ActorFor(context, ActorKind.Frontend) : Actor.Agent(byAgent);
        var interaction = grains.Interaction(id);
        var current = await interaction.GetSnapshot() ?? throw RoutingException.NotFound("interaction_id", "interaction", id);
        var contextChanges = request.Context.ToImmutable();
        switch (request.TargetCase)
        {
            case Proto.TransferInteractionRequest.TargetOneofCase.QueueId:
                var queueId = FieldRules.Id(request.QueueId, "queue_id");
                return (await interaction.TransferToQueue(queueId, contextChanges, reason, actor, request.Warm)).ToProto();

            case Proto.TransferInteractionRequest.TargetOneofCase.AgentId:
                var agentId = FieldRules.Id(request.AgentId, "agent_id");
                var agent = grains.Agent(agentId);
                _ = await agent.GetDetails() ?? throw RoutingException.NotFound("agent_id", "agent", agentId);
                var entry = await interaction.PrepareTransferToAgent(agentId, contextChanges, actor, request.Warm);
                return (await agent.OfferTransfer(entry, current.QueueId, actor)).ToProto();

            default:
                throw FieldRules.Invalid("target", "set queue_id or agent_id");
        }
    }

    /// <summary>Feeds one watch stream; the gRPC handler is its only reader.</summary>
    private sealed class InteractionWatch(ChannelWriter<(InteractionSnapshot, InteractionEventRecord)> writer) : IInteractionObserver
    {
        public Task OnChanged(InteractionSnapshot interaction, InteractionEventRecord change)
        {
            writer.TryWrite((interaction, change));
            return Task.CompletedTask;
        }
    }
}
