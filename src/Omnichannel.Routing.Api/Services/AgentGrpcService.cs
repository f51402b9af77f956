using System.Threading.Channels;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Api.Security;
using Omnichannel.Routing.Core;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Services;

/// <summary>AgentService: agent desktops sign in, set presence, receive offers and handle their work.</summary>
[Authorize(Policy = RoutingPolicies.Agents)]
public sealed class AgentGrpcService(IGrainFactory grains, IOptions<ApiOptions> options, ObserverRenewals renewals, CallerIdentity caller) : Proto.AgentService.AgentServiceBase
{
    public override async Task<Proto.AgentStatus> SignIn(Proto.SignInRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agent = AgentFor(request.AgentId, context);
        var presence = request.Presence switch
        {
            Proto.Presence.Unspecified or Proto.Presence.Available => Presence.Available,
            Proto.Presence.Away => Presence.Away,
            Proto.Presence.Offline => throw FieldRules.Invalid("presence", "cannot sign in as OFFLINE"),
            _ => throw FieldRules.Invalid("presence", $"unknown value {(int)request.Presence}"),
        };
        return (await agent.SignIn(presence)).ToProto();
    }

    public override async Task<Proto.AgentStatus> SignOut(Proto.SignOutRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reason = FieldRules.Text(request.Reason, "reason", FieldRules.MaxReasonLength);
        var agent = AgentFor(request.AgentId, context);
        return (await agent.SignOut(reason)).ToProto();
    }

    public override async Task<Proto.AgentStatus> SetPresence(Proto.SetPresenceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var presence = request.Presence switch
        {
            Proto.Presence.Available => Presence.Available,
            Proto.Presence.Away => Presence.Away,
            Proto.Presence.Offline => Presence.Offline,
            Proto.Presence.Unspecified => throw FieldRules.Invalid("presence", "is required"),
            _ => throw FieldRules.Invalid("presence", $"unknown value {(int)request.Presence}"),
        };
        var agent = AgentFor(request.AgentId, context);
        return (await agent.SetPresence(presence)).ToProto();
    }

    public override async Task WatchOffers(Proto.WatchOffersRequest request, IServerStreamWriter<Proto.OfferEvent> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var agent = AgentFor(request.AgentId, context);
        var feed = new ObserverFeed<Proto.OfferEvent>();
        await using var registration = new ObserverRegistration<IOfferObserver>(grains, new OfferStream(feed.Writer), agent.DetachOfferStream);
        var cancellation = context.StreamCancellationToken();
        try
        {
            var attached = await agent.AttachOfferStream(registration.Reference);
            // The first message is the agent's status: the desktop knows its stream is live.
            await responseStream.WriteAsync(new Proto.OfferEvent { Status = attached.Status.ToProto() }, cancellation);
            await WriteOffersAsync(attached.Offers);
            using var renewal = renewals.Every(
                options.Value.OfferStreamRenewal,
                // Non-empty only when the agent's activation moved (a silo failed) and lost this stream.
                async () =>
                {
                    foreach (var offer in await agent.RenewOfferStream(registration.Reference))
                    {
                        feed.Writer.TryWrite(new Proto.OfferEvent { Offered = offer.ToProto() });
                    }
                },
                feed.Fail);
            await feed.PumpAsync(
                async next =>
                {
                    await responseStream.WriteAsync(next, cancellation);
                    return true;
                },
                cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The desktop went away; the agent's grace period starts.
        }

        async Task WriteOffersAsync(IEnumerable<OfferView> offers)
        {
            foreach (var offer in offers)
            {
                await responseStream.WriteAsync(new Proto.OfferEvent { Offered = offer.ToProto() }, cancellation);
            }
        }
    }

    public override async Task<Proto.Interaction> AcceptOffer(Proto.AcceptOfferRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var interactionId = FieldRules.Id(request.InteractionId, "interaction_id");
        var agent = AgentFor(request.AgentId, context);
        return (await agent.Accept(interactionId)).ToProto();
    }

    public override async Task<Proto.Interaction> RejectOffer(Proto.RejectOfferRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var interactionId = FieldRules.Id(request.InteractionId, "interaction_id");
        var reason = FieldRules.Text(request.Reason, "reason", FieldRules.MaxReasonLength);
        var agent = AgentFor(request.AgentId, context);
        return (await agent.Reject(interactionId, reason)).ToProto();
    }

    public override async Task<Proto.Interaction> CompleteInteraction(Proto.CompleteInteractionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var interactionId = FieldRules.Id(request.InteractionId, "interaction_id");
        var disposition = FieldRules.Text(request.Disposition, "disposition", FieldRules.MaxDispositionLength);
        var agent = AgentFor(request.AgentId, context);
        return (await agent.Complete(interactionId, disposition)).ToProto();
    }

    public override async Task<Proto.Interaction> EndWrapUp(Proto.EndWrapUpRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var interactionId = FieldRules.Id(request.InteractionId, "interaction_id");
        var agent = AgentFor(request.AgentId, context);
        return (await agent.EndWrapUp(interactionId)).ToProto();
    }

    /// <summary>
    /// The agent's grain, once the caller may act for it (an agent token only for itself); an agent never defined
    /// answers NOT_FOUND from the grain itself, without a lookup first.
    /// </summary>
    private IAgentGrain AgentFor(string? agentId, ServerCallContext context)
    {
        var id = FieldRules.Id(agentId, "agent_id");
        caller.RequireAgent(context, id);
        return grains.Agent(id);
    }

    /// <summary>Feeds one offer stream; the gRPC handler is its only reader.</summary>
    private sealed class OfferStream(ChannelWriter<Proto.OfferEvent> writer) : IOfferObserver
    {
        public Task OnOffered(OfferView offer)
        {
            writer.TryWrite(new Proto.OfferEvent { Offered = offer.ToProto() });
            return Task.CompletedTask;
        }

        public Task OnWithdrawn(string interactionId, string reason)
        {
            writer.TryWrite(new Proto.OfferEvent { Withdrawn = new Proto.OfferWithdrawn { InteractionId = interactionId, Reason = reason } });
            return Task.CompletedTask;
        }

        public Task OnStatus(AgentStatusView status)
        {
            writer.TryWrite(new Proto.OfferEvent { Status = status.ToProto() });
            return Task.CompletedTask;
        }
    }
}
