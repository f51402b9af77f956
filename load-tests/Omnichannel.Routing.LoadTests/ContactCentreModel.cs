using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.LoadTests;

/// <summary>
/// The simulated contact centre: queues, agents in a fixed number of skill cohorts, two teams (voice agents taking
/// one call at a time, digital agents taking several chats and emails at once), and the arrivals' mix of channels,
/// skill demands and priorities. Deterministic for a seed, so two runs drive the same centre.
/// </summary>
internal sealed class ContactCentreModel
{
    /// <summary>Skill cohorts: agents are trained in groups, so a queue's members share a few skill profiles.</summary>
    public const int Cohorts = 8;

    /// <summary>Queue wrap-up: the engine ends it by timer if a desk never does; desks end it well before.</summary>
    public static readonly TimeSpan QueueWrapUp = TimeSpan.FromSeconds(10);

    private static readonly AgentSelectionPolicy[] Policies =
    [
        AgentSelectionPolicy.LongestIdle,
        AgentSelectionPolicy.LeastOccupied,
        AgentSelectionPolicy.BestSkill,
        AgentSelectionPolicy.RoundRobin,
    ];

    private static readonly string[] Products = ["billing", "tech", "sales", "retention"];

    private readonly (string Channel, double Cumulative)[] _mix;

    public ContactCentreModel(string runId, int agents, int queues, IReadOnlyList<(string Channel, double Percent)> mix, bool hotQueue, int hotQueueShards = 1)
    {
        HotQueueShards = hotQueueShards;
        ArgumentNullException.ThrowIfNull(mix);
        RunId = runId;
        AgentCount = agents;
        QueueCount = queues;
        HotQueue = hotQueue;
        var total = mix.Sum(m => m.Percent);
        var cumulative = 0.0;
        _mix = mix.Select(m => (m.Channel, cumulative += m.Percent / total)).ToArray();
        VoiceShare = mix.Where(m => m.Channel == "voice").Sum(m => m.Percent) / total;
    }

    public string RunId { get; }

    public int AgentCount { get; }

    public int QueueCount { get; }

    /// <summary>Every arrival goes to the first queue, which every agent serves.</summary>
    public bool HotQueue { get; }

    /// <summary>How many shards the hot queue is split into (1: unsharded).</summary>
    public int HotQueueShards { get; }

    /// <summary>Share of arrivals on voice; the voice team is sized to it.</summary>
    public double VoiceShare { get; }

    public string QueueId(int index) => $"{RunId}-q{index:D4}";

    public string AgentId(int index) => $"{RunId}-a{index:D6}";

    /// <summary>Voice agents come first; their share of the staff is a little above voice's share of arrivals, since a call holds all of an agent.</summary>
    public bool IsVoiceAgent(int index) => VoiceShare > 0 && index < (int)Math.Ceiling(AgentCount * Math.Min(0.9, Math.Max(0.1, VoiceShare * 1.4)));

    public Queue Queue(int index)
    {
        var queue = new Queue
        {
            QueueId = QueueId(index),
            DisplayName = $"Load queue {index}",
            Policy = Policies[index % Policies.Length],
            ServiceLevel = new ServiceLevelTarget { Percent = 80, Threshold = Duration.FromTimeSpan(TimeSpan.FromSeconds(20)) },
            OfferTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(15)),
            WrapUp = Duration.FromTimeSpan(QueueWrapUp),
            AgingRate = 1,
            Shards = HotQueue && index == 0 ? HotQueueShards : 1,
        };
        queue.Channels.AddRange(["voice", "chat", "email"]);
        return queue;
    }

    public Agent Agent(int index)
    {
        var cohort = index % Cohorts;
        var agent = new Agent
        {
            AgentId = AgentId(index),
            DisplayName = $"Load agent {index}",
            Capacity = IsVoiceAgent(index) ? VoiceProfile() : DigitalProfile(),
        };

        // Every cohort meets every requirement the arrivals make (english >= 3, product >= 2), at different levels,
        // so best-skill has something to rank and no arrival waits for a skill nobody has.
        agent.Skills.Add("english", 5 + (cohort % 5));
        for (var p = 0; p < Products.Length; p++)
        {
            agent.Skills.Add(Products[p], 2 + ((cohort + p) % 8));
        }

        if (cohort % 2 == 0)
        {
            agent.Skills.Add("vip", 3 + cohort);
        }

        agent.QueueIds.AddRange(QueuesOf(index));
        return agent;
    }

    /// <summary>Two queues per agent (so agents pull across queues), or the hot queue and one other.</summary>
    public IEnumerable<string> QueuesOf(int agentIndex)
    {
        var primary = agentIndex % QueueCount;
        if (HotQueue)
        {
            yield return QueueId(0);
            if (primary != 0)
            {
                yield return QueueId(primary);
            }

            yield break;
        }

        yield return QueueId(primary);
        var secondary = (primary + Math.Max(1, QueueCount / 2)) % QueueCount;
        if (secondary != primary)
        {
            yield return QueueId(secondary);
        }
    }

    /// <summary>One interaction's request: channel by the mix, a queue, a skill demand, a priority, and the intended send time in its context.</summary>
    public RouteInteractionRequest Arrival(long sequence, Random random, long intendedTimestamp)
    {
        ArgumentNullException.ThrowIfNull(random);
        var channel = PickChannel(random.NextDouble());
        var request = new RouteInteractionRequest
        {
            RequestId = $"{RunId}-r{sequence}",
            CustomerId = $"{RunId}-c{random.Next(0, 200_000)}",
            Channel = channel,
            QueueId = QueueId(HotQueue ? 0 : random.Next(0, QueueCount)),
            Priority = random.Next(0, 10) == 0 ? 50 : 0,
        };
        request.RequiredSkills.Add(new SkillRequirement { Skill = "english", MinimumLevel = 3 });
        if (random.Next(0, 2) == 0)
        {
            request.RequiredSkills.Add(new SkillRequirement { Skill = Products[random.Next(0, Products.Length)], MinimumLevel = 2 });
        }

        if (random.Next(0, 4) == 0)
        {
            request.PreferredSkills.Add("vip");
        }

        // The offer carries the interaction's context: the agent side reads the intended send time from it, so
        // route→offer is measured even when the offer overtakes the route's answer.
        request.Context.Add(ArrivalContext.SentKey, ArrivalContext.Format(intendedTimestamp));
        return request;
    }

    public string PickChannel(double u)
    {
        foreach (var (channel, cumulative) in _mix)
        {
            if (u < cumulative)
            {
                return channel;
            }
        }

        return _mix[^1].Channel;
    }

    /// <summary>A voice agent: one call at a time, nothing else meanwhile.</summary>
    public static CapacityProfile VoiceProfile()
    {
        var profile = new CapacityProfile { TotalUnits = 100 };
        profile.Channels.Add(new ChannelCapacity { Channel = "voice", MaxConcurrent = 1, UnitCost = 100, Exclusive = true });
        return profile;
    }

    /// <summary>A digital agent: up to three chats and two emails, within 100 units (chat 30, email 20).</summary>
    public static CapacityProfile DigitalProfile()
    {
        var profile = new CapacityProfile { TotalUnits = 100 };
        profile.Channels.Add(new ChannelCapacity { Channel = "chat", MaxConcurrent = 3, UnitCost = 30 });
        profile.Channels.Add(new ChannelCapacity { Channel = "email", MaxConcurrent = 2, UnitCost = 20 });
        return profile;
    }
}

/// <summary>The intended send time carried in an interaction's context, as a Stopwatch timestamp of this process.</summary>
internal static class ArrivalContext
{
    public const string SentKey = "load.sent";

    // With thousands separators: a bare 13-19 digit run is refused as a possible card number one time in ten.
    public static string Format(long timestamp) => timestamp.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryRead(Interaction? interaction, out long timestamp)
    {
        timestamp = 0;
        return interaction is not null
            && interaction.Context.TryGetValue(SentKey, out var text)
            && long.TryParse(text, System.Globalization.NumberStyles.Integer | System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture, out timestamp);
    }
}
