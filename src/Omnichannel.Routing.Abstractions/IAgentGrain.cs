using System.Collections.Immutable;
using Omnichannel.Routing.Core;
using Orleans.Concurrency;

namespace Omnichannel.Routing.Abstractions;

/// <summary>
/// One agent, keyed by agent id: definition, presence, workload and offers. The single authority on the agent's
/// capacity. Calls into queues and interactions are awaited; queues and interactions only ever reach an agent
/// one-way, so no call cycle can deadlock.
/// </summary>
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the definition; membership changes take effect at once.</summary>
    Task<AgentDetails> Define(AgentConfig config, Actor actor);

    /// <summary>The definition and status, or null if the agent was never defined.</summary>
    Task<AgentDetails?> GetDetails();

    Task<AgentStatusView> SignIn(Presence presence);

    Task<AgentStatusView> SignOut(string? reason);

    Task<AgentStatusView> SetPresence(Presence presence);

    /// <summary>Attaches a desktop's offer stream; answers the agent's status and the offers outstanding now.</summary>
    Task<OfferStreamAttachment> AttachOfferStream(IOfferObserver observer);

    /// <summary>
    /// Keeps an attached stream alive; a stream not renewed within its lease counts as lost. When the agent no longer
    /// knew the stream (its activation moved after a silo failure), it attaches it again and answers the offers
    /// outstanding now, for the desktop to show.
    /// </summary>
    Task<ImmutableArray<OfferView>> RenewOfferStream(IOfferObserver observer);

    /// <summary>
    /// The silo's lease sweep saw one of this agent's offer-stream leases pass: the agent drops the streams whose
    /// lease ran out and, with none left, starts the grace period.
    /// </summary>
    [OneWay]
    Task CheckOfferStreamLeases();

    /// <summary>Recovery: activates the agent so its timers (offer expiry, wrap-up end, stream grace) run again.</summary>
    Task ResumeAfterRecovery();

    Task DetachOfferStream(IOfferObserver observer);

    Task<InteractionSnapshot> Accept(string interactionId);

    Task<InteractionSnapshot> Reject(string interactionId, string? reason);

    Task<InteractionSnapshot> Complete(string interactionId, string? disposition);

    Task<InteractionSnapshot> EndWrapUp(string interactionId);

    /// <summary>Offers a transferred interaction straight to this agent, if eligible now.</summary>
    Task<InteractionSnapshot> OfferTransfer(QueueEntry entry, string queueId, Actor actor);

    Task<AgentOccupancyView> GetOccupancy();

    /// <summary>Replaces the agent's queues (supervisor action).</summary>
    Task<AgentDetails> SetQueues(ImmutableArray<string> queueIds, Actor actor);

    /// <summary>Replaces the agent's skills (supervisor action).</summary>
    Task<AgentDetails> SetSkills(ImmutableDictionary<string, int> skills, Actor actor);

    /// <summary>A queue suggests a waiting interaction; the agent claims it or declines.</summary>
    [OneWay]
    Task Propose(Proposal proposal);

    /// <summary>The interaction no longer stands with this agent (cancelled, moved, transferred away).</summary>
    [OneWay]
    Task Withdraw(string interactionId, string reason);

    /// <summary>Keep free for an exclusive-channel interaction of <paramref name="queueId"/> (contract §3.11).</summary>
    [OneWay]
    Task Hold(string queueId, string interactionId);

    [OneWay]
    Task ReleaseHold(string interactionId);

    /// <summary>Reconciliation: the interaction asks whether this agent still holds it, in the phase it records.</summary>
    [OneWay]
    Task Reconcile(string interactionId);

    /// <summary>A queue lost its view (reactivated) and asks for a fresh snapshot.</summary>
    [OneWay]
    Task RefreshQueue(string queueId);
}

/// <summary>An agent desktop's offer stream, fed by the agent grain.</summary>
public interface IOfferObserver : IGrainObserver
{
    [OneWay]
    Task OnOffered(OfferView offer);

    [OneWay]
    Task OnWithdrawn(string interactionId, string reason);

    [OneWay]
    Task OnStatus(AgentStatusView status);
}
