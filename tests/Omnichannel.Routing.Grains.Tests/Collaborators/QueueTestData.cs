using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Queues;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

/// <summary>Agents, entries and configurations for the queue collaborators' tests.</summary>
internal static class QueueTestData
{
    public const string QueueId = "billing";

    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Up to three chats at once; voice takes the whole agent (exclusive).</summary>
    public static CapacityConfig Capacity { get; } = new(10, [new ChannelLimitConfig("chat", 3, 1, false), new ChannelLimitConfig("voice", 1, 10, true)]);

    public static AgentSnapshot Agent(
        string agentId,
        long version = 1,
        Presence presence = Presence.Available,
        bool signedIn = true,
        ImmutableDictionary<string, int>? skills = null,
        ImmutableDictionary<string, int>? load = null,
        DateTimeOffset? idleSince = null,
        string? heldFor = null,
        CapacityConfig? capacity = null) =>
        new(
            agentId,
            version,
            signedIn,
            presence,
            false,
            skills ?? ImmutableDictionary<string, int>.Empty,
            capacity ?? Capacity,
            load ?? ImmutableDictionary<string, int>.Empty,
            idleSince ?? T0.AddMinutes(-10),
            heldFor);

    public static ImmutableDictionary<string, int> Skills(params (string Skill, int Level)[] skills) =>
        skills.ToImmutableDictionary(s => s.Skill, s => s.Level, StringComparer.Ordinal);

    public static QueueEntry Entry(
        string interactionId,
        string channel = "chat",
        DateTimeOffset? arrival = null,
        int priority = 0,
        ImmutableArray<RequirementConfig> required = default,
        ImmutableArray<string> excluded = default,
        string? preferredAgent = null,
        TimeSpan preferredWait = default,
        ImmutableArray<string> overflowedFrom = default) =>
        new(
            interactionId,
            "customer-" + interactionId,
            channel,
            priority,
            arrival ?? T0,
            required.IsDefault ? [] : required,
            [],
            excluded.IsDefault ? [] : excluded,
            preferredAgent,
            preferredWait,
            false,
            overflowedFrom.IsDefault ? [] : overflowedFrom);

    public static QueueConfig Config(
        ImmutableArray<RelaxationStepConfig> relaxation = default,
        OverflowConfig? overflow = null,
        int maxSize = 0,
        bool closed = false,
        TimeSpan offerTimeout = default,
        TimeSpan? wrapUp = null,
        SelectionPolicy policy = SelectionPolicy.LongestIdle) =>
        new(
            QueueId,
            "Billing",
            ["chat", "voice"],
            policy,
            ServiceLevelConfig.Default,
            relaxation.IsDefault ? [] : relaxation,
            overflow,
            maxSize,
            closed,
            offerTimeout,
            wrapUp,
            EffectivePriority.DefaultAgingRate,
            true);
}

/// <summary>Records what a queue would send, instead of sending it.</summary>
internal sealed class RecordingMessenger : IQueueMessenger
{
    public List<(string AgentId, Proposal Proposal)> Proposals { get; } = [];

    public List<(string AgentId, string InteractionId)> Holds { get; } = [];

    public List<(string AgentId, string InteractionId)> Releases { get; } = [];

    public List<(string InteractionId, RoutingEventType Type, string Detail)> Notes { get; } = [];

    public List<(string InteractionId, string Target, OverflowMode Mode)> Overflows { get; } = [];

    public List<string> Refreshed { get; } = [];

    public List<string> Rejoined { get; } = [];

    public List<(string ShardKey, string InteractionId)> Forwarded { get; } = [];

    public void Propose(string agentId, Proposal proposal) => Proposals.Add((agentId, proposal));

    public void Hold(string agentId, string interactionId) => Holds.Add((agentId, interactionId));

    public void ReleaseHold(string agentId, string interactionId) => Releases.Add((agentId, interactionId));

    public void Note(string interactionId, RoutingEventType type, string detail, DateTimeOffset at) => Notes.Add((interactionId, type, detail));

    public void OverflowTo(string interactionId, string targetQueueId, OverflowMode mode) => Overflows.Add((interactionId, targetQueueId, mode));

    public void RefreshMember(string agentId) => Refreshed.Add(agentId);

    public void Rejoin(string interactionId) => Rejoined.Add(interactionId);

    public void Forward(string shardKey, QueueEntry entry) => Forwarded.Add((shardKey, entry.InteractionId));
}

/// <summary>A queue's collaborators wired as the grain wires them, with a fake clock and a recording messenger.</summary>
internal sealed class QueueRig
{
    public QueueRig(QueueConfig? config = null)
    {
        Clock = new FakeTimeProvider(QueueTestData.T0);
        Dispatcher = new QueueDispatcher(QueueTestData.QueueId, Room, Roster, Timetable, Messenger, Clock, ProposalTimeout);
        Planner = new WaitPlanner(QueueTestData.QueueId, Room, Timetable, Dispatcher, Messenger);
        Planner.Configure(config ?? QueueTestData.Config());
    }

    public static TimeSpan ProposalTimeout { get; } = TimeSpan.FromSeconds(5);

    public FakeTimeProvider Clock { get; }

    public WaitingRoom Room { get; } = new();

    public MemberRoster Roster { get; } = new(SelectionPolicy.LongestIdle);

    public QueueTimetable Timetable { get; } = new();

    public RecordingMessenger Messenger { get; } = new();

    public QueueDispatcher Dispatcher { get; }

    public WaitPlanner Planner { get; }

    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Makes the agent a member with this snapshot.</summary>
    public AgentAvailability Join(AgentSnapshot agent)
    {
        Members.Add(agent.AgentId);
        return Roster.Upsert(agent, out _)!;
    }

    public bool Admit(QueueEntry entry) => Planner.Admit(entry, Members.Contains, Now);

    /// <summary>Moves the clock and runs whatever scheduled work has come due.</summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        while (Timetable.TryTakeDue(Now, out var work))
        {
            Planner.Run(work, Now);
        }
    }

    public string? ProposedTo(string interactionId) =>
        Messenger.Proposals.LastOrDefault(p => p.Proposal.Entry.InteractionId == interactionId).AgentId;
}
