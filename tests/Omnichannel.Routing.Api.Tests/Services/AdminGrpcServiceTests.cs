using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Omnichannel.Routing.Api.Tests.Support;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests.Services;

[Collection(SharedApiHost.Name)]
public sealed class AdminGrpcServiceTests(ApiHost host)
{
    private readonly ApiScenario _s = new(host);

    [Fact]
    public async Task A_queue_upserted_reads_back_as_it_was_defined()
    {
        var queueId = await _s.QueueAsync("defined", q =>
        {
            q.Policy = AgentSelectionPolicy.BestSkill;
            q.ServiceLevel = new ServiceLevelTarget { Percent = 90, Threshold = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) };
            q.WrapUp = Duration.FromTimeSpan(TimeSpan.FromSeconds(15));
            q.RelaxationSteps.Add(new RelaxationStep { After = Duration.FromTimeSpan(TimeSpan.FromSeconds(60)), Skill = "billing", Remove = true });
        });

        var read = await host.CallAsync(_s.Admin.GetQueue, new GetQueueRequest { QueueId = queueId });

        Assert.Equal(AgentSelectionPolicy.BestSkill, read.Policy);
        Assert.Equal(90, read.ServiceLevel.Percent);
        Assert.Equal(TimeSpan.FromSeconds(30), read.ServiceLevel.Threshold.ToTimeSpan());
        Assert.Equal(TimeSpan.FromSeconds(15), read.WrapUp.ToTimeSpan());
        Assert.Equal(["voice", "chat"], read.Channels);
        Assert.True(Assert.Single(read.RelaxationSteps).Remove);
    }

    [Fact]
    public async Task An_agent_upserted_reads_back_and_is_listed_under_its_queue()
    {
        var queueId = await _s.QueueAsync("members");
        var agentId = await _s.AgentAsync("member", queueId);

        var read = await host.CallAsync(_s.Admin.GetAgent, new GetAgentRequest { AgentId = agentId });
        var listed = await host.CallAsync(_s.Admin.ListAgents, new ListAgentsRequest { QueueId = queueId });

        Assert.Equal([queueId], read.QueueIds);
        Assert.Equal(100, read.Capacity.TotalUnits);
        Assert.False(read.Status.SignedIn);
        Assert.Equal(agentId, Assert.Single(listed.Agents).AgentId);
        Assert.Empty(listed.NextPageToken);
    }

    public static TheoryData<string> MalformedQueueFields => new()
    {
        "queue.channels[1]",
        "queue.policy",
        "queue.service_level.percent",
        "queue.relaxation_steps[0].level",
        "queue.max_size",
        "queue.aging_rate",
        "queue.offer_timeout",
        "queue.display_name",
        "queue.overflow.target_queue_id",
        "queue.shards",
    };

    [Theory]
    [MemberData(nameof(MalformedQueueFields))]
    public async Task A_malformed_queue_names_the_field_and_defines_nothing(string field)
    {
        var queue = ApiScenario.NewQueue(_s.Id("malformed"));
        switch (field)
        {
            case "queue.channels[1]": queue.Channels[1] = "voice"; break;
            case "queue.policy": queue.Policy = (AgentSelectionPolicy)42; break;
            case "queue.service_level.percent": queue.ServiceLevel = new ServiceLevelTarget { Percent = 100.5 }; break;
            case "queue.relaxation_steps[0].level": queue.RelaxationSteps.Add(new RelaxationStep { Skill = "billing", Level = 11 }); break;
            case "queue.max_size": queue.MaxSize = -1; break;
            case "queue.aging_rate": queue.AgingRate = double.NaN; break;
            case "queue.offer_timeout": queue.OfferTimeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(10)); break;
            case "queue.display_name": queue.DisplayName = "line\nbreak"; break;
            case "queue.overflow.target_queue_id": queue.Overflow = new Overflow { TargetQueueId = queue.QueueId }; break;
            case "queue.shards": queue.Shards = 65; break;
        }

        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, field, () => host.CallAsync(_s.Admin.UpsertQueue, new UpsertQueueRequest { Queue = queue }));

        await ApiHost.RefusedAsync(StatusCode.NotFound, "queue_id", () => host.CallAsync(_s.Admin.GetQueue, new GetQueueRequest { QueueId = queue.QueueId }));
    }

    [Fact]
    public async Task A_sharded_queue_reads_back_its_shards_and_an_out_of_range_count_changes_nothing()
    {
        var queueId = await _s.QueueAsync("sharded", q => q.Shards = 4);
        var queue = ApiScenario.NewQueue(queueId);
        queue.Shards = -1;

        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "queue.shards", () => host.CallAsync(_s.Admin.UpsertQueue, new UpsertQueueRequest { Queue = queue }));
        Assert.Equal(4, (await host.CallAsync(_s.Admin.GetQueue, new GetQueueRequest { QueueId = queueId })).Shards);

        // 0 is the default: one shard, and with nothing waiting the queue may go back to it.
        queue.Shards = 0;
        Assert.Equal(1, (await host.CallAsync(_s.Admin.UpsertQueue, new UpsertQueueRequest { Queue = queue })).Shards);
    }

    [Fact]
    public async Task The_shards_of_a_queue_with_an_interaction_waiting_cannot_change()
    {
        var queueId = await _s.QueueAsync("busy-sharded", q => q.Shards = 2);
        await _s.RouteAsync(queueId);
        var queue = ApiScenario.NewQueue(queueId);
        queue.Shards = 3;

        await ApiHost.RefusedAsync(StatusCode.FailedPrecondition, "shards", () => host.CallAsync(_s.Admin.UpsertQueue, new UpsertQueueRequest { Queue = queue }));

        Assert.Equal(2, (await host.CallAsync(_s.Admin.GetQueue, new GetQueueRequest { QueueId = queueId })).Shards);
    }

    [Fact]
    public async Task An_agent_of_an_unknown_queue_is_not_found_and_not_defined()
    {
        var agent = new Agent { AgentId = _s.Id("orphan"), Capacity = ApiScenario.Blended(), QueueIds = { _s.Id("no-such-queue") } };

        await ApiHost.RefusedAsync(StatusCode.NotFound, "agent.queue_ids[0]", () => host.CallAsync(_s.Admin.UpsertAgent, new UpsertAgentRequest { Agent = agent }));

        await ApiHost.RefusedAsync(StatusCode.NotFound, "agent_id", () => host.CallAsync(_s.Admin.GetAgent, new GetAgentRequest { AgentId = agent.AgentId }));
    }

    [Fact]
    public async Task An_agent_without_a_capacity_profile_names_the_field()
    {
        var agent = new Agent { AgentId = _s.Id("no-capacity") };

        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "agent.capacity", () => host.CallAsync(_s.Admin.UpsertAgent, new UpsertAgentRequest { Agent = agent }));
    }

    [Fact]
    public async Task Unknown_ids_answer_not_found_naming_the_field()
    {
        await ApiHost.RefusedAsync(StatusCode.NotFound, "queue_id", () => host.CallAsync(_s.Admin.GetQueue, new GetQueueRequest { QueueId = _s.Id("missing") }));
        await ApiHost.RefusedAsync(StatusCode.NotFound, "agent_id", () => host.CallAsync(_s.Admin.GetAgent, new GetAgentRequest { AgentId = _s.Id("missing") }));
        await ApiHost.RefusedAsync(StatusCode.NotFound, "queue_id", () => host.CallAsync(_s.Admin.ListAgents, new ListAgentsRequest { QueueId = _s.Id("missing") }));
    }

    [Fact]
    public async Task Listing_queues_page_by_page_returns_each_queue_once_in_order()
    {
        var defined = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            defined.Add(await _s.QueueAsync($"paged-{i}"));
        }

        var seen = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await host.CallAsync(_s.Admin.ListQueues, new ListQueuesRequest { PageSize = 2, PageToken = token });
            Assert.InRange(page.Queues.Count, 0, 2);
            seen.AddRange(page.Queues.Select(q => q.QueueId));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(defined, id => Assert.Contains(id, seen));
    }

    [Fact]
    public async Task A_page_token_the_service_did_not_issue_is_invalid()
    {
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "page_token", () => host.CallAsync(_s.Admin.ListQueues, new ListQueuesRequest { PageToken = "not-a-token" }));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "page_size", () => host.CallAsync(_s.Admin.ListQueues, new ListQueuesRequest { PageSize = FieldRules.MaxPageSize + 1 }));
    }

    [Fact]
    public async Task A_new_channel_can_be_used_by_a_queue_once_upserted()
    {
        var name = "c" + Guid.NewGuid().ToString("N")[..8];
        await ApiHost.RefusedAsync(StatusCode.NotFound, "queue.channels[0]", () => _s.QueueAsync("before-channel", q =>
        {
            q.Channels.Clear();
            q.Channels.Add(name);
        }));

        var channel = await host.CallAsync(_s.Admin.UpsertChannel, new UpsertChannelRequest { Channel = new Channel { Name = name, WrapUp = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) } });
        var queueId = await _s.QueueAsync("after-channel", q =>
        {
            q.Channels.Clear();
            q.Channels.Add(name);
        });

        Assert.Equal(name, channel.DisplayName);
        Assert.Equal(TimeSpan.FromSeconds(5), channel.WrapUp.ToTimeSpan());
        Assert.Equal([name], (await host.CallAsync(_s.Admin.GetQueue, new GetQueueRequest { QueueId = queueId })).Channels);
    }
}
