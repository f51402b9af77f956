using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.EndToEnd.Tests;

/// <summary>Bad input gets INVALID_ARGUMENT with a message that starts with the field, and changes nothing.</summary>
public sealed class InvalidRequestTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly EngineClient _c = new(fixture.Host.Channel);

    public static TheoryData<string, string> MalformedRoutes => new()
    {
        { "customer_id", "empty customer" },
        { "channel", "upper-case channel" },
        { "queue_id", "queue id with a space" },
        { "priority", "negative priority" },
        { "required_skills[0].minimum_level", "skill level 11" },
        { "required_skills[0].skill", "empty skill name" },
        { "context[bad key]", "context key with a space" },
        { "preferred_agent_wait", "negative wait" },
        { "request_id", "request id too long" },
        { "preferred_agent_id", "preferred agent id with a slash" },
    };

    [Theory]
    [MemberData(nameof(MalformedRoutes))]
    public async Task A_malformed_route_names_the_field_and_creates_nothing(string field, string why)
    {
        var queue = await _c.QueueAsync("strict");
        var customer = _c.Id("strict-customer");
        var request = new RouteInteractionRequest { CustomerId = customer, Channel = "chat", QueueId = queue, RequestId = Guid.NewGuid().ToString() };
        switch (field)
        {
            case "customer_id": request.CustomerId = string.Empty; break;
            case "channel": request.Channel = "Chat"; break;
            case "queue_id": request.QueueId = "my queue"; break;
            case "priority": request.Priority = -1; break;
            case "required_skills[0].minimum_level": request.RequiredSkills.Add(new SkillRequirement { Skill = "billing", MinimumLevel = 11 }); break;
            case "required_skills[0].skill": request.RequiredSkills.Add(new SkillRequirement { Skill = string.Empty, MinimumLevel = 3 }); break;
            case "context[bad key]": request.Context.Add("bad key", "x"); break;
            case "preferred_agent_wait": request.PreferredAgentWait = Duration.FromTimeSpan(TimeSpan.FromSeconds(-5)); break;
            case "request_id": request.RequestId = new string('r', 200); break;
            case "preferred_agent_id": request.PreferredAgentId = "agents/1"; break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => _c.Routing.RouteInteractionAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.True(error.Status.Detail.StartsWith(field + ":", StringComparison.Ordinal), $"{why}: '{error.Status.Detail}' should name {field}");
        if (field != "customer_id")
        {
            var journey = await _c.Customers.GetCustomerJourneyAsync(new GetCustomerJourneyRequest { CustomerId = customer });
            Assert.Empty(journey.Entries);
        }
    }

    [Fact]
    public async Task A_route_on_a_channel_the_queue_does_not_take_names_the_channel_and_creates_nothing()
    {
        var queue = await _c.QueueAsync("chat-only", q =>
        {
            q.Channels.Clear();
            q.Channels.Add("chat");
        });
        var customer = _c.Id("chat-only-customer");

        var error = await Assert.ThrowsAsync<RpcException>(() => _c.RouteAsync(queue, "email", r => r.CustomerId = customer));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.True(error.Status.Detail.StartsWith("channel:", StringComparison.Ordinal), $"'{error.Status.Detail}' should name channel");
        var journey = await _c.Customers.GetCustomerJourneyAsync(new GetCustomerJourneyRequest { CustomerId = customer });
        Assert.Empty(journey.Entries);
        Assert.Equal(0, (await _c.Supervisor.GetQueueStatsAsync(new GetQueueStatsRequest { QueueId = queue })).Waiting);
    }

    [Fact]
    public async Task A_malformed_queue_names_the_field_and_defines_nothing()
    {
        var id = _c.Id("never-defined");
        var cases = new (string Field, Queue Queue)[]
        {
            ("queue.channels", new Queue { QueueId = id }),
            ("queue.channels[0]", new Queue { QueueId = id, Channels = { "carrier-pigeon" } }),
            ("queue.offer_timeout", new Queue { QueueId = id, Channels = { "chat" }, OfferTimeout = Duration.FromTimeSpan(TimeSpan.FromHours(5)) }),
            ("queue.relaxation_steps[0].level", new Queue { QueueId = id, Channels = { "chat" }, RelaxationSteps = { new RelaxationStep { Skill = "x", Level = 0 } } }),
            ("queue.overflow.target_queue_id", new Queue { QueueId = id, Channels = { "chat" }, Overflow = new Overflow { TargetQueueId = id } }),
            ("queue.service_level.percent", new Queue { QueueId = id, Channels = { "chat" }, ServiceLevel = new ServiceLevelTarget { Percent = 120 } }),
        };

        foreach (var (field, queue) in cases)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => _c.Admin.UpsertQueueAsync(new UpsertQueueRequest { Queue = queue }).ResponseAsync);
            Assert.True(error.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound, $"{field}: {error.Status}");
            Assert.True(error.Status.Detail.StartsWith(field + ":", StringComparison.Ordinal), $"'{error.Status.Detail}' should name {field}");
        }

        var missing = await Assert.ThrowsAsync<RpcException>(() => _c.Admin.GetQueueAsync(new GetQueueRequest { QueueId = id }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_malformed_agent_names_the_field_and_defines_nothing()
    {
        var queue = await _c.QueueAsync("agent-checks");
        var id = _c.Id("never-agent");
        var overBudget = EngineClient.Blended();
        overBudget.Channels[0].UnitCost = 500;
        var cases = new (string Field, Agent Agent)[]
        {
            ("agent.capacity", new Agent { AgentId = id, QueueIds = { queue } }),
            ("agent.capacity.channels[0].unit_cost", new Agent { AgentId = id, Capacity = overBudget, QueueIds = { queue } }),
            ("agent.skills[billing]", new Agent { AgentId = id, Capacity = EngineClient.Blended(), Skills = { ["billing"] = 0 } }),
            ("agent.queue_ids[0]", new Agent { AgentId = id, Capacity = EngineClient.Blended(), QueueIds = { _c.Id("no-such-queue") } }),
            ("agent.agent_id", new Agent { AgentId = "", Capacity = EngineClient.Blended() }),
        };

        foreach (var (field, agent) in cases)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => _c.Admin.UpsertAgentAsync(new UpsertAgentRequest { Agent = agent }).ResponseAsync);
            Assert.True(error.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound, $"{field}: {error.Status}");
            Assert.True(error.Status.Detail.StartsWith(field + ":", StringComparison.Ordinal), $"'{error.Status.Detail}' should name {field}");
        }

        var missing = await Assert.ThrowsAsync<RpcException>(() => _c.Admin.GetAgentAsync(new GetAgentRequest { AgentId = id }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Malformed_agent_desktop_calls_name_the_field_and_change_nothing()
    {
        var queue = await _c.QueueAsync("desk-checks");
        var agent = await _c.AgentAsync("desk-agent", [queue]);
        await using var desk = await _c.SignInAsync(agent);
        var routed = await _c.RouteAsync(queue);
        await desk.NextOfferAsync(routed.InteractionId);

        var calls = new (string Field, Func<Task> Call)[]
        {
            ("agent_id", () => _c.Agents.AcceptOfferAsync(new AcceptOfferRequest { AgentId = "", InteractionId = routed.InteractionId }).ResponseAsync),
            ("interaction_id", () => _c.Agents.AcceptOfferAsync(new AcceptOfferRequest { AgentId = agent, InteractionId = "bad id" }).ResponseAsync),
            ("reason", () => _c.Agents.RejectOfferAsync(new RejectOfferRequest { AgentId = agent, InteractionId = routed.InteractionId, Reason = new string('x', 300) }).ResponseAsync),
            ("presence", () => _c.Agents.SetPresenceAsync(new SetPresenceRequest { AgentId = agent }).ResponseAsync),
            ("presence", () => _c.Agents.SignInAsync(new SignInRequest { AgentId = agent, Presence = Presence.Offline }).ResponseAsync),
        };

        foreach (var (field, call) in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.True(error.Status.Detail.StartsWith(field + ":", StringComparison.Ordinal), $"'{error.Status.Detail}' should name {field}");
        }

        Assert.Equal(InteractionState.Offered, (await _c.GetAsync(routed.InteractionId)).State);
        var status = await _c.Admin.GetAgentAsync(new GetAgentRequest { AgentId = agent });
        Assert.Equal(Presence.Available, status.Status.Presence);
        Assert.Single(status.Status.Work);
    }
}
